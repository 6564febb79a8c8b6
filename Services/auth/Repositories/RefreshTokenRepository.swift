import Database
import Foundation
import Logging
import PostgresNIO

/// Refresh tokens, stored as SHA-256 digests. Each sign-in starts a family;
/// refreshing rotates within it. A rotated token presented again means it was
/// stolen or replayed: the whole family is revoked, so neither the thief nor
/// the owner can go on with it (the owner signs in again).
struct RefreshTokenRepository: Sendable {
    /// What presenting a refresh token led to.
    enum Rotation: Sendable {
        case rotated(userID: UUID, token: String)
        case refused
    }

    let client: PostgresClient
    let lifetime: TimeInterval
    let logger: Logger

    /// A new token for `userID`, in `family` (a new family when nil).
    func issue(userID: UUID, family: UUID? = nil, on connection: PostgresConnection) async throws -> String {
        let token = SecretToken.generate()
        let expires = Date().addingTimeInterval(lifetime)
        try await connection.query("""
            INSERT INTO auth.refresh_tokens (id, family_id, user_id, token_hash, expires_at)
            VALUES (\(UUID()), \(family ?? UUID()), \(userID), \(SecretToken.digest(token)), \(expires))
            """, logger: logger)
        return token
    }

    /// Exchanges `token` for a new one of the same family, or refuses it
    /// (revoking the family when it had been rotated already).
    func rotate(_ token: String) async throws -> Rotation {
        try await client.transaction(logger: logger) { connection -> Rotation in
            let rows = try await connection.query("""
                SELECT id, family_id, user_id, expires_at > clock_timestamp(), rotated_at IS NOT NULL, revoked_at IS NOT NULL
                FROM auth.refresh_tokens WHERE token_hash = \(SecretToken.digest(token)) FOR UPDATE
                """, logger: logger)
            var found: (UUID, UUID, UUID, Bool, Bool, Bool)?
            for try await row in rows.decode((UUID, UUID, UUID, Bool, Bool, Bool).self) { found = row }
            guard let (id, family, userID, unexpired, rotated, revoked) = found, !revoked else { return .refused }
            if rotated {
                try await revokeFamily(family, on: connection)
                logger.warning("refresh token reused; family revoked", metadata: ["user.id": "\(userID)"])
                return .refused
            }
            guard unexpired else { return .refused }
            try await connection.query(
                "UPDATE auth.refresh_tokens SET rotated_at = clock_timestamp() WHERE id = \(id)", logger: logger)
            return .rotated(userID: userID, token: try await issue(userID: userID, family: family, on: connection))
        }
    }

    /// Ends the sign-in `token` belongs to; unknown tokens are ignored.
    func revoke(_ token: String) async throws {
        _ = try await client.rows("""
            UPDATE auth.refresh_tokens SET revoked_at = clock_timestamp()
            WHERE revoked_at IS NULL AND family_id IN (
                SELECT family_id FROM auth.refresh_tokens WHERE token_hash = \(SecretToken.digest(token)))
            """, logger: logger)
    }

    /// Ends every sign-in of a user (password reset, deactivation).
    func revokeAll(userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE auth.refresh_tokens SET revoked_at = clock_timestamp() WHERE user_id = \(userID) AND revoked_at IS NULL
            """, logger: logger)
    }

    private func revokeFamily(_ family: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE auth.refresh_tokens SET revoked_at = clock_timestamp() WHERE family_id = \(family) AND revoked_at IS NULL
            """, logger: logger)
    }
}
