/// An extra header of a ``MailMessage``, such as `List-Unsubscribe` or `X-Clipset-Event`.
///
/// The name is checked when the message is created: letters, digits and `-` only, and not
/// one of the headers the message writes itself.
package struct MailHeader: Sendable, Hashable {
    /// The field name, e.g. `List-Unsubscribe`.
    package let name: String
    /// The field value; must not contain CR or LF.
    package let value: String

    /// Creates a header.
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Headers every rendered message carries; an extra header may not replace them.
    static let reserved: Set<String> = [
        "date", "from", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// Throws unless the header can be written as one safe header field.
    func validate() throws {
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0)
                || ("0"..."9").contains($0) || $0 == "-" })
        else {
            throw MailError(.invalidMessage, "invalid header name \(name.debugDescription)")
        }
        guard !Self.reserved.contains(name.lowercased()) else {
            throw MailError(.invalidMessage, "header \(name) is written by the message itself")
        }
        try MailHeader.refuseLineBreaks(value, in: name)
    }

    /// Throws when `value` holds CR, LF or NUL, which would end the header early.
    static func refuseLineBreaks(_ value: String, in field: String) throws {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw MailError(.invalidMessage, "line break in the \(field) header")
        }
    }
}
