import Database
import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import ServiceKit

/// The one row of `media.config`: read (created with the defaults when missing)
/// and changed under a row lock, so two admins' PATCHes never lose each other's fields.
struct RuntimeConfigRepository: Sendable {
    let postgres: PostgresClient
    let defaults: RuntimeSettings
    let logger: Logger

    /// The current configuration; the first read stores the defaults.
    func current() async throws -> RuntimeConfig {
        try await postgres.withLeasedConnection { connection in
            try await ensureRow(on: connection)
            return try await read(on: connection, lock: false)
        }
    }

    /// Applies `change` and records who made it; `change` may refuse the new settings by throwing.
    /// `then` runs in the same transaction with the old and new settings (to start what a change implies).
    func update(
        by admin: UUID, _ change: @escaping @Sendable (RuntimeSettings) async throws -> RuntimeSettings,
        then: @escaping @Sendable (RuntimeSettings, RuntimeSettings, PostgresConnection) async throws -> Void = { _, _, _ in }
    ) async throws -> RuntimeConfig {
        try await postgres.transaction(logger: logger) { connection in
            try await ensureRow(on: connection)
            let current = try await read(on: connection, lock: true)
            let settings = try await change(current.settings)
            let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
            try await connection.query("""
                UPDATE media.config SET settings = \(json)::jsonb, updated_at = clock_timestamp(), updated_by = \(admin)
                WHERE id = 1
                """, logger: logger)
            try await then(current.settings, settings, connection)
            return try await read(on: connection, lock: false)
        }
    }

    private func ensureRow(on connection: PostgresConnection) async throws {
        let json = String(decoding: try JSONEncoder().encode(defaults), as: UTF8.self)
        try await connection.query(
            "INSERT INTO media.config (id, settings) VALUES (1, \(json)::jsonb) ON CONFLICT (id) DO NOTHING", logger: logger)
    }

    private func read(on connection: PostgresConnection, lock: Bool) async throws -> RuntimeConfig {
        let rows = try await connection.query(
            "SELECT settings::text, updated_at, updated_by FROM media.config WHERE id = 1 \(unescaped: lock ? "FOR UPDATE" : "")",
            logger: logger)
        for try await (text, updatedAt, updatedBy) in rows.decode((String, Date, UUID?).self) {
            let settings = try JSONDecoder().decode(RuntimeSettings.self, from: Data(text.utf8))
            return RuntimeConfig(settings: settings, updatedAt: updatedAt, updatedBy: updatedBy)
        }
        throw APIError(.internalServerError, "Failed to fetch system configuration")
    }
}
