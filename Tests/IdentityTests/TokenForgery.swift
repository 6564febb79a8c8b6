import Crypto
import Foundation
import JWTKit

@testable import Identity

/// Builds tokens the way an attacker would: by hand, from JSON parts.
enum TokenForgery {
    static func claims(userID: UUID = UUID(), role: String = "user", exp: Date = Date().addingTimeInterval(600),
                       iss: String = "clipset", aud: String = "clipset") -> [String: Any] {
        [
            "sub": userID.uuidString.lowercased(), "user_id": userID.uuidString.lowercased(), "username": "mallory",
            "role": role, "exp": Int(exp.timeIntervalSince1970), "iat": Int(Date().timeIntervalSince1970),
            "jti": UUID().uuidString, "iss": iss, "aud": aud,
        ]
    }

    static func segment(_ object: [String: Any]) -> String {
        Base64URL.encode(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// An unsigned token (`alg: none`).
    static func unsigned(_ claims: [String: Any], kid: String) -> String {
        "\(segment(["alg": "none", "typ": "JWT", "kid": kid])).\(segment(claims))."
    }

    /// An HS256 token whose HMAC key is `secret` (e.g. the public key).
    static func hmac(_ claims: [String: Any], kid: String, secret: Data) -> String {
        let input = "\(segment(["alg": "HS256", "typ": "JWT", "kid": kid])).\(segment(claims))"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: secret))
        return "\(input).\(Base64URL.encode(Data(mac)))"
    }

    /// An EdDSA token signed with `key` under `kid`.
    static func eddsa(_ claims: [String: Any], kid: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        let input = "\(segment(["alg": "EdDSA", "typ": "JWT", "kid": kid])).\(segment(claims))"
        return "\(input).\(Base64URL.encode(try key.signature(for: Data(input.utf8))))"
    }

    /// `token` with its payload replaced, the signature kept.
    static func tampered(_ token: String, claims: [String: Any]) -> String {
        let parts = token.split(separator: ".")
        return "\(parts[0]).\(segment(claims)).\(parts[2])"
    }
}

/// A key ring with fresh keys, and the seeds to forge with.
struct TestKeys {
    let seeds: [(kid: String, key: Curve25519.Signing.PrivateKey)]
    let ring: SigningKeyRing

    init(kids: [String] = ["k1"], active: String? = nil) async throws {
        let seeds = kids.map { ($0, Curve25519.Signing.PrivateKey()) }
        self.seeds = seeds
        let entries = seeds.map { "\($0.0):\(Base64URL.encode($0.1.rawRepresentation))" }.joined(separator: ",")
        ring = try await SigningKeyRing(entries: entries, activeKeyID: active)
    }

    func key(_ kid: String) -> Curve25519.Signing.PrivateKey { seeds.first { $0.kid == kid }!.key }
}
