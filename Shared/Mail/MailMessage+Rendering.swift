import Foundation

extension MailMessage {
    /// The message as RFC 5322 bytes: CRLF line endings, 7-bit, no line over 998 characters.
    ///
    /// Text parts are UTF-8 in quoted-printable; with an HTML body the message is
    /// `multipart/alternative` (plain text first, so clients prefer the HTML).
    package func rendered() -> [UInt8] {
        var lines = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.render(from))",
            "To: " + to.map(Self.render).joined(separator: ",\r\n "),
            "Subject: " + MIMEEncoding.headerWords(subject).joined(separator: "\r\n "),
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
        ]
        for header in headers {
            lines.append("\(header.name): " + MIMEEncoding.headerWords(header.value).joined(separator: "\r\n "))
        }
        var output = lines.joined(separator: "\r\n") + "\r\n"
        if let html {
            let boundary = "=_clipset_\(UUID().uuidString.lowercased())"
            output += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            output += "This is a multi-part message in MIME format.\r\n"
            for (type, body) in [("text/plain", text), ("text/html", html)] {
                output += "--\(boundary)\r\n" + Self.part(type: type, body: body)
            }
            output += "--\(boundary)--\r\n"
        } else {
            output += Self.part(type: "text/plain", body: text)
        }
        return Array(output.utf8)
    }

    /// The content headers, a blank line and the encoded body of one text part.
    private static func part(type: String, body: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(body)
    }

    /// `Name <address>`: the name as is when it is plain words, quoted when it holds
    /// specials, encoded when it is not ASCII.
    static func render(_ address: MailAddress) -> String {
        guard let name = address.name, !name.isEmpty else { return address.address }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: " !#$%&'*+-/=?^_`{|}~"))
        let ascii = name.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        let phrase: String
        if ascii, name.unicodeScalars.allSatisfy(atext.contains), !name.contains("=?") {
            phrase = name
        } else if ascii {
            phrase = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            phrase = MIMEEncoding.encodedWords(name).joined(separator: "\r\n ")
        }
        return "\(phrase) <\(address.address)>"
    }

    /// `Mon, 23 Nov 2026 22:58:32 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
