import Database
import Foundation
import Hummingbird
import Identity
import PostgresNIO
import ServiceKit

/// Issues what a sign-in or a refresh returns: a signed access token and a
/// refresh token.
struct TokenIssuer: Sendable {
    let keys: SigningKeyRing
    let settings: TokenSettings
    let lifetime: Int
    let refreshTokens: RefreshTokenRepository

    /// The reply of login and refresh: the original's `access_token` and
    /// `token_type`, plus `refresh_token` and `expires_in` (seconds).
    struct Grant: ResponseEncodable {
        var accessToken: String
        var tokenType = "bearer"
        var refreshToken: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", tokenType = "token_type"
            case refreshToken = "refresh_token", expiresIn = "expires_in"
        }
    }

    func accessToken(for user: UserRecord) async throws -> String {
        let identity = Identity(userID: user.id, username: user.username, role: user.role, tokenID: UUID().apiString)
        return try await keys.sign(AccessClaims(identity: identity, settings: settings, lifetime: lifetime))
    }

    /// A grant with a refresh token of a new family (a sign-in).
    func signIn(_ user: UserRecord) async throws -> Grant {
        let refresh = try await refreshTokens.client.withLeasedConnection { [refreshTokens] connection in
            try await refreshTokens.issue(userID: user.id, on: connection)
        }
        return Grant(accessToken: try await accessToken(for: user), refreshToken: refresh, expiresIn: lifetime)
    }

    /// A grant around a refresh token that was just rotated.
    func refreshed(_ user: UserRecord, refreshToken: String) async throws -> Grant {
        Grant(accessToken: try await accessToken(for: user), refreshToken: refreshToken, expiresIn: lifetime)
    }
}
