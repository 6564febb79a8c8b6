import Foundation
import Synchronization
import Testing

@testable import Identity

/// The verifier remembers tokens it verified, but never past their expiry or
/// the key that signed them.
@Suite struct VerifiedTokenCacheTests {
    let settings = TokenSettings()

    /// A key source whose published keys a test can swap, as a JWKS refresh would.
    final class SwappableKeys: VerificationKeySource {
        let current: Mutex<SigningKeyRing>
        init(_ ring: SigningKeyRing) { current = Mutex(ring) }
        func swap(to ring: SigningKeyRing) { current.withLock { $0 = ring } }
        func keys(including kid: String) async throws(TokenRejection) -> VerificationKeys? {
            let ring = current.withLock { $0 }
            return try await ring.keys(including: kid)
        }
    }

    @Test func aVerifiedTokenIsRememberedAndAnsweredFromMemory() async throws {
        let keys = try await TestKeys()
        let cache = VerifiedTokenCache()
        let verifier = TokenVerifier(settings: settings, source: keys.ring, cache: cache)
        let alice = Identity(userID: UUID(), username: "alice", role: .user, tokenID: "j1")
        let token = try await keys.ring.sign(AccessClaims(identity: alice, settings: settings, lifetime: 60))
        #expect(cache.count == 0)
        #expect(try await verifier.verify(token).tokenID == alice.tokenID)
        #expect(cache.count == 1)
        #expect(try await verifier.verify(token).userID == alice.userID)
        #expect(cache.count == 1)
        // A different token is verified on its own merits, never answered from another's entry.
        let tampered = TokenForgery.tampered(token, claims: TokenForgery.claims(role: "admin"))
        await #expect(throws: TokenRejection.self) { try await verifier.verify(tampered) }
        #expect(cache.count == 1)
    }

    @Test func aRememberedTokenFallsWithTheKeyThatSignedIt() async throws {
        let old = try await TestKeys(kids: ["old"])
        let source = SwappableKeys(old.ring)
        let verifier = TokenVerifier(settings: settings, source: source, cache: VerifiedTokenCache())
        let token = try TokenForgery.eddsa(TokenForgery.claims(), kid: "old", key: old.key("old"))
        #expect(try await verifier.verify(token).username == "mallory")
        source.swap(to: try await TestKeys(kids: ["new"]).ring)
        await #expect(throws: TokenRejection.self) { try await verifier.verify(token) }
    }

    @Test func entriesExpireWithTheirTokenAndTheCacheStaysBounded() {
        let cache = VerifiedTokenCache(capacity: 3)
        let now = Date()
        let identity = Identity(userID: UUID(), username: "bob", role: .user, tokenID: "j")
        cache.insert(.init(identity: identity, keyID: "k1", expires: now.addingTimeInterval(60)), for: "t1", now: now)
        #expect(cache.entry(for: "t1", now: now)?.identity == identity)
        #expect(cache.entry(for: "t1", now: now.addingTimeInterval(61)) == nil, "an expired token is no longer remembered")
        #expect(cache.count == 0)
        for index in 0..<10 {
            cache.insert(.init(identity: identity, keyID: "k1", expires: now.addingTimeInterval(60)), for: "t\(index)", now: now)
            #expect(cache.count <= 3)
        }
        #expect(cache.entry(for: "t9", now: now) != nil)
    }
}
