import Foundation
import Mail
import TestSupport
import Testing

@Suite struct MailFileWriterTests {
    @Test func writesOneCompleteEMLFilePerMessage() async throws {
        let directory = try makeScratchDirectory(prefix: "mail-writer").appendingPathComponent("mail")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let writer = MailFileWriter(directory: directory)
        let first = try sampleMessage()
        let second = try sampleMessage(html: nil)

        let file = try await writer.write(first)
        try await writer.send(second)

        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.range(of: #"^\d{8}T\d{6}\.\d{3}Z-[0-9a-f-]{36}\.eml$"#, options: .regularExpression) != nil })
        let mail = ParsedMail(Array(try Data(contentsOf: file)))
        #expect(mail.header("Message-ID") == first.messageID)
        #expect(mail.subject == first.subject)
        #expect(mail.parts().count == 2)
    }
}
