import JWTKit

/// Verifies Clipset access tokens: EdDSA only, a known `kid`, a valid
/// signature, not expired, Clipset's issuer and audience.
package struct TokenVerifier: Sendable {
    package let settings: TokenSettings
    let source: any VerificationKeySource
    /// Tokens verified before; `nil` verifies every time.
    let cache: VerifiedTokenCache?

    package init(settings: TokenSettings, source: any VerificationKeySource, cache: VerifiedTokenCache? = VerifiedTokenCache()) {
        self.settings = settings
        self.source = source
        self.cache = cache
    }

    /// The identity `token` speaks for.
    ///
    /// A token verified before is not verified again while it has not expired and the key
    /// that signed it is still published (a key dropped from the set takes its tokens along).
    package func verify(_ token: String) async throws(TokenRejection) -> Identity {
        if let entry = cache?.entry(for: token), let keys = try await source.keys(including: entry.keyID),
           keys.keyIDs.contains(entry.keyID) {
            return entry.identity
        }
        let (_, kid) = try TokenHeader.pinned(token)
        guard let keys = try await source.keys(including: kid) else { throw .unknownKey(kid) }
        let claims: AccessClaims
        do {
            claims = try await keys.collection.verify(token, as: AccessClaims.self)
        } catch {
            throw .invalid("\(error)")
        }
        let identity = try claims.identity(settings: settings)
        cache?.insert(.init(identity: identity, keyID: kid, expires: claims.exp.value), for: token)
        return identity
    }
}
