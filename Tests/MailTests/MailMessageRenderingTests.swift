import Foundation
import Mail
import Testing

@Suite struct MailMessageRenderingTests {
    @Test func multipartAlternativeHoldsTheTextThenTheHTML() throws {
        let message = try sampleMessage()
        let mail = ParsedMail(message.rendered())

        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.header("Content-Type")?.hasPrefix("multipart/alternative; boundary=") == true)
        let parts = mail.parts()
        #expect(parts.map(\.contentType) == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts.first?.text == "Hello,\nyour video Holiday is ready.\n")
        #expect(parts.last?.text == "<p>Your video <b>Holiday</b> is ready.</p>\n")
    }

    @Test func standardHeadersAreWritten() throws {
        let date = Date(timeIntervalSince1970: 1_795_474_834)
        let message = try MailMessage(
            from: MailAddress("no-reply@clipset.example", name: "Clipset Team"),
            to: [MailAddress("a@example.org"), MailAddress("b@example.org", name: "Bé, \"the\" one")],
            subject: "Hi", text: "Plain only", date: date)
        let mail = ParsedMail(message.rendered())

        #expect(mail.header("Date") == "Mon, 23 Nov 2026 23:00:34 +0000")
        #expect(mail.header("From") == "Clipset Team <no-reply@clipset.example>")
        #expect(mail.header("To")?.hasPrefix("a@example.org, =?UTF-8?B?") == true)
        #expect(mail.header("Message-ID") == message.messageID)
        #expect(message.messageID.hasSuffix("@clipset.example>"))
        #expect(mail.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(decodeQuotedPrintable(mail.body) == "Plain only\n")
    }

    @Test func nonASCIISubjectIsEncodedInShortWords() throws {
        let subject = "Ваше видео «Отпуск» готово — 🎬 " + String(repeating: "é", count: 60)
        let message = try MailMessage(
            from: MailAddress("no-reply@clipset.example"), to: [MailAddress("a@example.org")],
            subject: subject, text: "x")
        let rendered = String(decoding: message.rendered(), as: UTF8.self)

        #expect(rendered.contains("Subject: =?UTF-8?B?"))
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(ParsedMail(message.rendered()).subject == subject)
    }

    @Test func longLinesAreWrappedAndComeBackWhole() throws {
        let line = String(repeating: "Lorem ipsum dolor sit amet, ümlaut = sign\t", count: 150)
        let message = try MailMessage(
            from: MailAddress("no-reply@clipset.example"), to: [MailAddress("a@example.org")],
            subject: String(repeating: "word ", count: 60), text: line + "\r\ntrailing space \n", html: line)
        let bytes = message.rendered()
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")

        #expect(bytes.allSatisfy { $0 < 0x80 })
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(!String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let parts = ParsedMail(bytes).parts()
        #expect(parts.first?.text == line + "\ntrailing space \n")
        #expect(parts.last?.text == line + "\n")
        #expect(ParsedMail(bytes).subject == String(repeating: "word ", count: 60))
    }
}
