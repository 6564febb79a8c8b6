import Crypto
import Foundation
import Identity
import NIOCore

/// Random, URL-safe secrets (43 characters, 256 bits: Python's
/// `token_urlsafe(32)`) and the SHA-256 digest under which they are stored.
enum SecretToken {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// Whether `token` could be one of ours (URL-safe base64); anything else is unknown without a query.
    static func isWellFormed(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= 128
            && token.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The digest as a buffer, which PostgreSQL receives as `bytea`.
    static func digest(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8)))
    }
}
