import Foundation
import JWTKit

/// The claims of a Clipset access token: the original's `user_id`, `username`,
/// `role` and `exp`, plus `sub`, `iat`, `jti`, `iss` and `aud`.
package struct AccessClaims: JWTPayload, Equatable {
    package var sub: SubjectClaim
    package var userID: String
    package var username: String
    package var role: String
    package var exp: ExpirationClaim
    package var iat: IssuedAtClaim
    package var jti: IDClaim
    package var iss: IssuerClaim
    package var aud: AudienceClaim

    /// Claims for `identity`, issued now (whole seconds) for `lifetime` seconds.
    package init(identity: Identity, settings: TokenSettings, lifetime: Int, now: Date = Date()) {
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        sub = SubjectClaim(value: identity.userID.uuidString.lowercased())
        userID = identity.userID.uuidString.lowercased()
        username = identity.username
        role = identity.role.rawValue
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(TimeInterval(lifetime)))
        iat = IssuedAtClaim(value: issuedAt)
        jti = IDClaim(value: identity.tokenID)
        iss = IssuerClaim(value: settings.issuer)
        aud = AudienceClaim(value: [settings.audience])
    }

    enum CodingKeys: String, CodingKey {
        case sub, username, role, exp, iat, jti, iss, aud
        case userID = "user_id"
    }

    /// Called by jwt-kit after the signature checked out.
    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The identity these claims speak for, once issuer and audience are checked.
    func identity(settings: TokenSettings) throws(TokenRejection) -> Identity {
        guard iss.value == settings.issuer else { throw .invalid("issuer \(iss.value)") }
        guard aud.value.contains(settings.audience) else { throw .invalid("audience \(aud.value)") }
        guard let id = UUID(uuidString: userID), sub.value.lowercased() == userID.lowercased(),
              let role = Role(rawValue: role)
        else { throw .invalid("subject") }
        return Identity(userID: id, username: username, role: role, tokenID: jti.value, expiresAt: exp.value)
    }
}
