import Database
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `auth.invitations`.
struct InvitationRepository: Sendable {
    /// Invitations are valid for seven days.
    static let lifetime: TimeInterval = 7 * 86_400

    let client: PostgresClient
    let logger: Logger

    func create(email: String, createdBy: UUID, on connection: PostgresConnection) async throws -> Invitation {
        let rows = try await connection.query("""
            INSERT INTO auth.invitations (id, email, token, created_by, expires_at)
            VALUES (\(UUID()), \(email), \(SecretToken.generate()), \(createdBy), \(Date().addingTimeInterval(Self.lifetime)))
            RETURNING id, email, token, created_by, created_at, expires_at, used, used_at
            """, logger: logger)
        for try await row in rows { return try Invitation(row: row) }
        throw AuthConfigurationError("INSERT RETURNING gave no row")
    }

    func list(skip: Int, limit: Int) async throws -> [Invitation] {
        try await all("\(unescaped: Invitation.select) ORDER BY created_at DESC, id OFFSET \(skip) LIMIT \(limit)")
    }

    func find(token: String) async throws -> Invitation? {
        guard SecretToken.isWellFormed(token) else { return nil }
        return try await all("\(unescaped: Invitation.select) WHERE token = \(token)").first
    }

    /// Marks an unused, unexpired invitation used, in the registration's
    /// transaction; false when someone else used it first.
    func markUsed(_ id: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE auth.invitations SET used = true, used_at = clock_timestamp()
            WHERE id = \(id) AND NOT used AND expires_at > clock_timestamp() RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    func delete(_ id: UUID) async throws -> Bool {
        !(try await client.rows("DELETE FROM auth.invitations WHERE id = \(id) RETURNING id", logger: logger)).isEmpty
    }

    private func all(_ query: PostgresQuery) async throws -> [Invitation] {
        var invitations: [Invitation] = []
        for row in try await client.rows(query, logger: logger) { invitations.append(try Invitation(row: row)) }
        return invitations
    }
}
