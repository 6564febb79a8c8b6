import Foundation

/// The header of a compact JWT, read before any key is chosen so that the
/// algorithm is pinned: only `EdDSA` with a `kid` goes on to verification
/// (no `none`, no HMAC signed with a public key, no default key).
struct TokenHeader: Decodable, Equatable {
    var alg: String
    var kid: String?

    /// Reads the header of `token`, refusing anything but an EdDSA token with a key id.
    static func pinned(_ token: String) throws(TokenRejection) -> (alg: String, kid: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]),
              let header = try? JSONDecoder().decode(TokenHeader.self, from: data)
        else { throw .invalid("malformed") }
        guard header.alg == "EdDSA" else { throw .invalid("algorithm \(header.alg)") }
        guard let kid = header.kid, !kid.isEmpty else { throw .invalid("no key id") }
        return (header.alg, kid)
    }
}

/// base64url without padding (RFC 7515 §2).
package enum Base64URL {
    package static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    package static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
