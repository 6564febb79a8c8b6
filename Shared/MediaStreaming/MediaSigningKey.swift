/// A secret that signs media URLs, named by a key id so keys can be rotated.
package struct MediaSigningKey: Sendable, Equatable {
    /// Names the key inside `hmac` tokens: 1-32 of `A-Z a-z 0-9 _ -`.
    package let id: String
    /// The secret as text, so the same value can be written into an nginx configuration.
    package let secret: String

    /// - Throws: ``MediaSigningConfigurationError`` for an id outside its alphabet or a
    ///   secret shorter than 16 characters, or one with a character nginx would read as
    ///   syntax (space, quote, `$`, `;`, `{`, `}`, `\`, `#`) or a non-printable one.
    package init(id: String, secret: String) throws(MediaSigningConfigurationError) {
        guard (1...32).contains(id.utf8.count), id.utf8.allSatisfy(isTokenByte) else {
            throw .init("media signing key id '\(id)' must be 1-32 of A-Z a-z 0-9 _ -")
        }
        guard secret.utf8.count >= 16 else {
            throw .init("media signing key '\(id)' must have a secret of at least 16 characters")
        }
        let syntax = Set("\"'$;{}\\#".utf8)
        guard secret.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !syntax.contains($0) }) else {
            throw .init("media signing key '\(id)' has a character that is not printable ASCII or is nginx syntax")
        }
        self.id = id
        self.secret = secret
    }

    /// Keys from a configuration value such as `2025b:secret2, 2025a:secret1`: entries
    /// separated by commas or whitespace, each `<kid>:<secret>`. The first key signs; every
    /// key verifies, so a new key goes first and the old one stays until its URLs expire.
    ///
    /// - Throws: ``MediaSigningConfigurationError`` for no keys, an entry without `:`, a bad
    ///   key, or two keys with one id.
    package static func list(from text: String) throws(MediaSigningConfigurationError) -> [MediaSigningKey] {
        let entries = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" })
        var keys: [MediaSigningKey] = []
        for entry in entries {
            guard let colon = entry.firstIndex(of: ":") else {
                throw .init("a media signing key must be written <kid>:<secret>")
            }
            let key = try MediaSigningKey(id: String(entry[..<colon]), secret: String(entry[entry.index(after: colon)...]))
            guard !keys.contains(where: { $0.id == key.id }) else { throw .init("media signing key id '\(key.id)' appears twice") }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw .init("no media signing key is configured") }
        return keys
    }
}

/// A media-signing setting that cannot work; the service refuses to start with it.
package struct MediaSigningConfigurationError: Error, CustomStringConvertible, Equatable {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The base64url alphabet without padding: what may appear in a key id or a signature.
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "_"), UInt8(ascii: "-"):
        true
    default:
        false
    }
}
