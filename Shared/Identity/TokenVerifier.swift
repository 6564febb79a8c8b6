import JWTKit

/// Verifies Clipset access tokens: EdDSA only, a known `kid`, a valid
/// signature, not expired, Clipset's issuer and audience.
package struct TokenVerifier: Sendable {
    package let settings: TokenSettings
    let source: any VerificationKeySource

    package init(settings: TokenSettings, source: any VerificationKeySource) {
        self.settings = settings
        self.source = source
    }

    /// The identity `token` speaks for.
    package func verify(_ token: String) async throws(TokenRejection) -> Identity {
        let (_, kid) = try TokenHeader.pinned(token)
        guard let keys = try await source.keys(including: kid) else { throw .unknownKey(kid) }
        let claims: AccessClaims
        do {
            claims = try await keys.collection.verify(token, as: AccessClaims.self)
        } catch {
            throw .invalid("\(error)")
        }
        return try claims.identity(settings: settings)
    }
}
