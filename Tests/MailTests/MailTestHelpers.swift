import Foundation
import Logging
import Mail
import TestSupport

/// A message as a reader sees it: unfolded headers, and the decoded text of each part.
struct ParsedMail {
    /// Header fields in order, continuation lines unfolded.
    let headers: [(name: String, value: String)]
    /// The raw body after the blank line.
    let body: String

    init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let split = text.range(of: "\r\n\r\n")!
        let unfolded = String(text[..<split.lowerBound]).replacingOccurrences(of: "\r\n ", with: " ")
        headers = unfolded.components(separatedBy: "\r\n").map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(colon, offsetBy: 2)...]))
        }
        body = String(text[split.upperBound...])
    }

    /// The value of the first header named `name` (any case).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The decoded Subject.
    var subject: String? { header("Subject").map(decodeEncodedWords) }

    /// Each MIME part of a multipart body: its headers and its decoded text.
    func parts() -> [(contentType: String, text: String)] {
        guard let type = header("Content-Type"), let range = type.range(of: "boundary=\"") else { return [] }
        let boundary = String(type[range.upperBound...].prefix { $0 != "\"" })
        let pieces = body.components(separatedBy: "--\(boundary)")
        return pieces.dropFirst().dropLast().map { piece in
            let part = ParsedMail(Array(piece.utf8.dropFirst(2)))
            return (part.header("Content-Type") ?? "", decodeQuotedPrintable(part.body))
        }
    }
}

/// Decodes a quoted-printable body; hard line breaks come back as `\n`.
func decodeQuotedPrintable(_ text: String) -> String {
    let joined = text.replacingOccurrences(of: "=\r\n", with: "")
    var bytes: [UInt8] = []
    var iterator = Array(joined.utf8).makeIterator()
    while let byte = iterator.next() {
        if byte == UInt8(ascii: "="), let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
}

/// Decodes RFC 2047 `=?UTF-8?B?...?=` words; the space between two of them is dropped.
func decodeEncodedWords(_ value: String) -> String {
    guard value.hasPrefix("=?") else { return value }
    return value.split(separator: " ").map { word -> String in
        let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
        return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
    }.joined()
}

/// A message with a marker no other test uses in its subject and Message-ID.
func sampleMessage(
    to recipients: [String] = ["viewer@example.org"], subject: String = "Your video is ready",
    html: String? = "<p>Your video <b>Holiday</b> is ready.</p>"
) throws -> MailMessage {
    try MailMessage(
        from: MailAddress("no-reply@clipset.example", name: "Clipset"),
        to: recipients.map { try MailAddress($0) },
        subject: "\(subject) \(UUID().uuidString.prefix(8))",
        text: "Hello,\nyour video Holiday is ready.\n", html: html)
}

/// The files the test SMTP receiver saved that contain `messageID`.
func receivedMessages(withID messageID: String) throws -> [[UInt8]] {
    let inbox = URL(fileURLWithPath: TestEnvironment.mailDirectory)
    let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".eml") }
    return try names.compactMap { name in
        let bytes = Array(try Data(contentsOf: inbox.appendingPathComponent(name)))
        return String(decoding: bytes, as: UTF8.self).contains("Message-ID: \(messageID)") ? bytes : nil
    }
}

let mailTestLogger = Logger(label: "clipset.mail.tests")
