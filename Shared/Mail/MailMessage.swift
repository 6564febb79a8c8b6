import Foundation

/// One email: sender, recipients, subject, a plain-text body and optionally an HTML one.
///
/// Everything is validated when the message is created (a CR or LF in any header value is
/// refused), so ``rendered()`` cannot fail and never produces an injected header. The
/// `Message-ID` is fixed at creation, so a caller can record it before sending.
package struct MailMessage: Sendable, Hashable {
    /// The sender (`From`, and the SMTP envelope's `MAIL FROM`).
    package let from: MailAddress
    /// The recipients (`To`, and one `RCPT TO` each); never empty.
    package let to: [MailAddress]
    /// The subject line, any Unicode.
    package let subject: String
    /// The plain-text body.
    package let text: String
    /// The HTML body; with one the message is `multipart/alternative`.
    package let html: String?
    /// Extra headers, written after the standard ones.
    package let headers: [MailHeader]
    /// The `Message-ID`, angle brackets included: `<uuid@domain-of-from>`.
    package let messageID: String
    /// The `Date` header.
    package let date: Date

    /// Creates a message; throws ``MailError/Kind/invalidMessage`` when a header would be unsafe.
    ///
    /// - Parameter messageID: a fixed id (`<id@domain>`), e.g. derived from the event that
    ///   caused the email; a fresh `<uuid@domain-of-from>` when `nil`.
    package init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
        headers: [MailHeader] = [], messageID: String? = nil, date: Date = Date()
    ) throws {
        guard !to.isEmpty else { throw MailError(.invalidMessage, "a message needs at least one recipient") }
        try MailHeader.refuseLineBreaks(subject, in: "Subject")
        for header in headers { try header.validate() }
        let id = messageID ?? "<\(UUID().uuidString.lowercased())@\(from.domain)>"
        guard id.hasPrefix("<"), id.hasSuffix(">"), id.contains("@"),
            id.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw MailError(.invalidMessage, "invalid Message-ID \(id.debugDescription)")
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.messageID = id
        self.date = date
    }
}
