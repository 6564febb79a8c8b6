import Database
import Foundation
import Identity
import Logging
import PostgresNIO

/// Reads and writes `auth.users`. Reads go through the pool; writes take the
/// connection of the caller's transaction, so the outbox row commits with them.
struct UserRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    func find(id: UUID) async throws -> UserRecord? {
        try await first("\(unescaped: UserRecord.select) WHERE u.id = \(id)")
    }

    func find(username: String) async throws -> UserRecord? {
        guard !username.unicodeScalars.contains("\0") else { return nil }
        return try await first("\(unescaped: UserRecord.select) WHERE u.username = \(username.lowercased())")
    }

    func find(email: String) async throws -> UserRecord? {
        try await first("\(unescaped: UserRecord.select) WHERE u.email = \(email.lowercased())")
    }

    /// Everyone, newest first, inactive users included (the admin list).
    func list(skip: Int, limit: Int) async throws -> [UserRecord] {
        try await all("\(unescaped: UserRecord.select) ORDER BY u.created_at DESC, u.id OFFSET \(skip) LIMIT \(limit)")
    }

    /// Active users whose name contains `search` (case-insensitive), sorted as asked.
    func directory(search: String?, sort: DirectorySort) async throws -> [UserRecord] {
        guard let search, !search.isEmpty else {
            return try await all("\(unescaped: UserRecord.select) WHERE u.is_active \(unescaped: sort.orderBy)")
        }
        return try await all("""
            \(unescaped: UserRecord.select) WHERE u.is_active AND strpos(u.username, \(search.lowercased())) > 0 \(unescaped: sort.orderBy)
            """)
    }

    func adminExists() async throws -> Bool {
        !(try await client.rows("SELECT 1 FROM auth.users WHERE role = 'admin' LIMIT 1", logger: logger)).isEmpty
    }

    /// Inserts a user; the caller has checked that email and username are free
    /// (a race that slips through is a unique violation, reported by the caller).
    func insert(email: String, username: String, passwordHash: String, role: Role, on connection: PostgresConnection) async throws -> UUID {
        let id = UUID()
        try await connection.query("""
            INSERT INTO auth.users (id, email, username, password_hash, role)
            VALUES (\(id), \(email), \(username), \(passwordHash), \(role.rawValue))
            """, logger: logger)
        return id
    }

    func setActive(_ id: UUID, _ active: Bool, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE auth.users SET is_active = \(active), updated_at = clock_timestamp() WHERE id = \(id)", logger: logger)
    }

    func setPasswordHash(_ id: UUID, _ hash: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE auth.users SET password_hash = \(hash), updated_at = clock_timestamp() WHERE id = \(id)", logger: logger)
    }

    func setAvatar(_ id: UUID, _ filename: String?, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE auth.users SET avatar_filename = \(filename), updated_at = clock_timestamp() WHERE id = \(id)", logger: logger)
    }

    /// The ids of deactivated users, for the token check of every request.
    func deactivatedIDs() async throws -> Set<UUID> {
        let rows = try await client.rows("SELECT id FROM auth.users WHERE NOT is_active", logger: logger)
        return Set(try rows.map { try $0.decode(UUID.self) })
    }

    private func first(_ query: PostgresQuery) async throws -> UserRecord? {
        try await all(query).first
    }

    private func all(_ query: PostgresQuery) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for row in try await client.rows(query, logger: logger) {
            users.append(try UserRecord(row: row))
        }
        return users
    }
}

/// The orders of the user directory (`sort`); any other value lists unordered, as the original did.
enum DirectorySort: String {
    case newest, alphabetical, videos, playlists, unordered

    var orderBy: String {
        switch self {
        case .newest: "ORDER BY u.created_at DESC, u.id"
        case .alphabetical: "ORDER BY u.username ASC"
        case .videos: "ORDER BY 9 DESC, u.username ASC"
        case .playlists: "ORDER BY 10 DESC, u.username ASC"
        case .unordered: ""
        }
    }
}
