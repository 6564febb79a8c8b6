import Database
import Foundation
import Logging
import PostgresNIO

/// Password-reset tokens, stored as SHA-256 digests, single use.
struct PasswordResetRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A new token for `userID` that expires after `lifetime` seconds.
    func create(userID: UUID, lifetime: TimeInterval, on connection: PostgresConnection) async throws -> (token: String, expiresAt: Date) {
        let token = SecretToken.generate()
        let expires = Date().addingTimeInterval(lifetime)
        try await connection.query("""
            INSERT INTO auth.password_resets (token_hash, user_id, expires_at)
            VALUES (\(SecretToken.digest(token)), \(userID), \(expires))
            """, logger: logger)
        return (token, expires)
    }

    /// The user a valid token belongs to; an expired token is deleted when tried.
    func user(for token: String) async throws -> UUID? {
        guard SecretToken.isWellFormed(token) else { return nil }
        let digest = SecretToken.digest(token)
        let rows = try await client.rows("""
            SELECT user_id, expires_at > clock_timestamp() FROM auth.password_resets WHERE token_hash = \(digest)
            """, logger: logger)
        for row in rows {
            let (userID, valid) = try row.decode((UUID, Bool).self)
            if valid { return userID }
            _ = try await client.rows("DELETE FROM auth.password_resets WHERE token_hash = \(digest)", logger: logger)
        }
        return nil
    }

    /// Deletes a valid token and says whose it was, in the caller's transaction
    /// (so two concurrent uses cannot both succeed).
    func consume(_ token: String, on connection: PostgresConnection) async throws -> UUID? {
        let rows = try await connection.query("""
            DELETE FROM auth.password_resets WHERE token_hash = \(SecretToken.digest(token))
            RETURNING user_id, expires_at > clock_timestamp()
            """, logger: logger)
        for try await (userID, valid) in rows.decode((UUID, Bool).self) where valid { return userID }
        return nil
    }
}
