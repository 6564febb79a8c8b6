import Foundation

/// The encodings that keep a rendered message 7-bit, CRLF-terminated and within the line limits
/// of RFC 5322 (998 characters; these stay within 78 where they can).
enum MIMEEncoding {
    /// The longest encoded line before a soft break (76 with the `=`).
    static let quotedPrintableWidth = 75

    /// `text` in quoted-printable (RFC 2045) as UTF-8, lines ending in CRLF.
    ///
    /// Any line ending in the input (LF, CRLF, CR) becomes a hard CRLF; long lines get soft
    /// breaks, never inside an `=XX` escape.
    static func quotedPrintable(_ text: String) -> String {
        var output = ""
        for line in normalizedLines(text) {
            var current = ""
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let token: String
                if (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast) {
                    token = String(UnicodeScalar(byte))
                } else {
                    token = "=" + hex(byte)
                }
                if current.utf8.count + token.utf8.count > quotedPrintableWidth {
                    output += current + "=\r\n"
                    current = ""
                }
                current += token
            }
            output += current + "\r\n"
        }
        return output
    }

    /// The lines of `text`, any of LF, CRLF or CR ending one.
    static func normalizedLines(_ text: String) -> [Substring] {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = unified.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// An unstructured header value (Subject, a display name): as is when it is short printable
    /// ASCII, else as RFC 2047 encoded words of UTF-8 in base64, each at most 75 characters.
    ///
    /// Returns the pieces; the caller joins them with `"\r\n "` (folding) or a space.
    static func headerWords(_ value: String) -> [String] {
        let printable = value.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        let words = value.split(separator: " ", omittingEmptySubsequences: false)
        if printable, !value.contains("=?"), words.allSatisfy({ $0.utf8.count <= 70 }) {
            return foldedASCII(words)
        }
        return encodedWords(value)
    }

    /// Groups space-separated words into lines of at most about 70 characters.
    private static func foldedASCII(_ words: [Substring]) -> [String] {
        var lines: [String] = []
        var current: String?
        for word in words {
            if let line = current, line.utf8.count + 1 + word.utf8.count <= 70 {
                current = line + " " + word
            } else {
                if let line = current { lines.append(line) }
                current = String(word)
            }
        }
        lines.append(current ?? "")
        return lines
    }

    /// `=?UTF-8?B?...?=` words of at most 39 bytes of UTF-8 each (52 base64 characters, 64 in
    /// all, so even the first word after `Subject: ` keeps its line within 78),
    /// split between Unicode scalars so each word decodes on its own.
    static func encodedWords(_ value: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in value.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + base64(bytes) + "?="
    }

    /// Standard base64 (RFC 4648) without line breaks.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
