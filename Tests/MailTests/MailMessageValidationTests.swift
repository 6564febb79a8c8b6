import Mail
import Testing

/// Nothing a caller passes in can add or end a header early.
@Suite struct MailMessageValidationTests {
    private func message(subject: String = "Hi", headers: [MailHeader] = []) throws -> MailMessage {
        try MailMessage(
            from: MailAddress("no-reply@clipset.example"), to: [MailAddress("a@example.org")],
            subject: subject, text: "x", headers: headers)
    }

    @Test(arguments: ["Hi\r\nBcc: victim@example.org", "Hi\nBcc: x@example.org", "Hi\rX: y"])
    func lineBreakInTheSubjectIsRefused(subject: String) throws {
        let error = #expect(throws: MailError.self) { try message(subject: subject) }
        #expect(error?.kind == .invalidMessage)
    }

    @Test func lineBreakInAnExtraHeaderIsRefused() throws {
        #expect(throws: MailError.self) {
            try message(headers: [MailHeader("X-Clipset-Event", "abc\r\nBcc: victim@example.org")])
        }
        #expect(throws: MailError.self) { try message(headers: [MailHeader("X-Bad Name", "v")]) }
        #expect(throws: MailError.self) { try message(headers: [MailHeader("X-Colon:", "v")]) }
    }

    @Test func extraHeaderCannotReplaceAStandardOne() throws {
        #expect(throws: MailError.self) { try message(headers: [MailHeader("bcc", "victim@example.org")]) }
        #expect(throws: MailError.self) { try message(headers: [MailHeader("Content-Type", "text/html")]) }
    }

    @Test func malformedAddressesAreRefused() throws {
        for address in ["a@example.org\r\nBcc: b@example.org", "no-at-sign", "@example.org", "a@", "a b@example.org",
                        "<a@example.org>", "é@example.org"] {
            #expect(throws: MailError.self, "\(address.debugDescription)") { try MailAddress(address) }
        }
        #expect(throws: MailError.self) { try MailAddress("a@example.org", name: "Eve\r\nBcc: x@example.org") }
    }

    @Test func aRecipientIsRequired() throws {
        #expect(throws: MailError.self) {
            try MailMessage(from: MailAddress("no-reply@clipset.example"), to: [], subject: "Hi", text: "x")
        }
    }

    @Test func extraHeadersAreWrittenAfterTheStandardOnes() throws {
        let mail = ParsedMail(try message(headers: [MailHeader("List-Unsubscribe", "<https://clipset.example/u>")]).rendered())
        #expect(mail.header("List-Unsubscribe") == "<https://clipset.example/u>")
    }
}
