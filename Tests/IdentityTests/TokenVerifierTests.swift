import Crypto
import Foundation
import JWTKit
import Testing

@testable import Identity

/// Tokens auth signs verify; every forgery of the issue's list is refused.
@Suite struct TokenVerifierTests {
    let settings = TokenSettings()

    func identity(_ role: Role = .user) -> Identity {
        Identity(userID: UUID(), username: "alice", role: role, tokenID: UUID().uuidString)
    }

    @Test func aSignedTokenVerifiesToItsIdentity() async throws {
        let keys = try await TestKeys()
        let alice = identity(.admin)
        let token = try await keys.ring.sign(AccessClaims(identity: alice, settings: settings, lifetime: 60))
        let verified = try await TokenVerifier(settings: settings, source: keys.ring).verify(token)
        let expiry = try #require(verified.expiresAt, "the token's exp comes with the identity")
        #expect(verified == Identity(
            userID: alice.userID, username: alice.username, role: alice.role, tokenID: alice.tokenID, expiresAt: expiry))
        #expect((55...60).contains(expiry.timeIntervalSinceNow), "exp = issued (whole seconds) + 60 s")
        let header = try JSONSerialization.jsonObject(with: Base64URL.decode(token.split(separator: ".")[0])!) as? [String: Any]
        #expect(header?["alg"] as? String == "EdDSA")
        #expect(header?["kid"] as? String == "k1")
    }

    @Test func forgeriesAreRefused() async throws {
        let keys = try await TestKeys()
        let verifier = TokenVerifier(settings: settings, source: keys.ring)
        let good = TokenForgery.claims()
        let valid = try TokenForgery.eddsa(good, kid: "k1", key: keys.key("k1"))
        #expect(try await verifier.verify(valid).username == "mallory", "the forging harness must produce valid tokens")

        let publicKey = keys.key("k1").publicKey.rawRepresentation
        let forgeries: [(String, String)] = [
            ("alg none", TokenForgery.unsigned(good, kid: "k1")),
            ("tampered payload", TokenForgery.tampered(valid, claims: TokenForgery.claims(role: "admin"))),
            ("HS256 with the raw public key", TokenForgery.hmac(good, kid: "k1", secret: publicKey)),
            ("HS256 with the JWKS x", TokenForgery.hmac(good, kid: "k1", secret: Data(Base64URL.encode(publicKey).utf8))),
            ("unknown kid", try TokenForgery.eddsa(good, kid: "k9", key: Curve25519.Signing.PrivateKey())),
            ("known kid, other key", try TokenForgery.eddsa(good, kid: "k1", key: Curve25519.Signing.PrivateKey())),
            ("expired", try TokenForgery.eddsa(TokenForgery.claims(exp: Date().addingTimeInterval(-5)), kid: "k1", key: keys.key("k1"))),
            ("wrong audience", try TokenForgery.eddsa(TokenForgery.claims(aud: "other"), kid: "k1", key: keys.key("k1"))),
            ("wrong issuer", try TokenForgery.eddsa(TokenForgery.claims(iss: "evil"), kid: "k1", key: keys.key("k1"))),
            ("no kid", valid.replacingOccurrences(of: valid.split(separator: ".")[0], with: TokenForgery.segment(["alg": "EdDSA"]))),
            ("garbage", "not.a.token"),
            ("two parts", "abc.def"),
        ]
        for (name, token) in forgeries {
            await #expect(throws: TokenRejection.self, "\(name) must be refused") { try await verifier.verify(token) }
        }
    }

    @Test func bothKeysOfARotationVerifyAndTheActiveOneSigns() async throws {
        let keys = try await TestKeys(kids: ["old", "new"], active: "new")
        let verifier = TokenVerifier(settings: settings, source: keys.ring)
        let token = try await keys.ring.sign(AccessClaims(identity: identity(), settings: settings, lifetime: 60))
        let header = try JSONSerialization.jsonObject(with: Base64URL.decode(token.split(separator: ".")[0])!) as? [String: Any]
        #expect(header?["kid"] as? String == "new")
        _ = try await verifier.verify(token)
        let oldToken = try TokenForgery.eddsa(TokenForgery.claims(), kid: "old", key: keys.key("old"))
        _ = try await verifier.verify(oldToken)
        #expect(keys.ring.jwks.keys.map(\.kid) == ["old", "new"])
    }

    @Test func badKeyConfigurationIsRefusedAtStart() async throws {
        for entries in ["", "k1", "k1:short", "k1:\(String(repeating: "A", count: 43)),k1:\(String(repeating: "B", count: 43))"] {
            await #expect(throws: SigningKeyError.self, "\(entries)") { try await SigningKeyRing(entries: entries) }
        }
        await #expect(throws: SigningKeyError.self) {
            try await SigningKeyRing(entries: "k1:\(String(repeating: "A", count: 43))", activeKeyID: "k2")
        }
    }

    @Test(arguments: [nil, "", "  "])
    func anEmptyActiveKeyIDMeansTheFirstKey(active: String?) async throws {
        let entries = "k1:\(String(repeating: "A", count: 43)),k2:\(String(repeating: "B", count: 43))"
        #expect(try await SigningKeyRing(entries: entries, activeKeyID: active).activeKeyID == "k1")
        #expect(try await SigningKeyRing(entries: entries, activeKeyID: "k2").activeKeyID == "k2")
    }
}
