import Logging
import PostgresNIO

/// Applies a service's migrations to its schema, once, even with several replicas.
///
/// The whole run holds a PostgreSQL advisory lock keyed by the schema, so two
/// replicas starting together apply each migration exactly once: the second
/// waits, then finds nothing left to do. Each migration runs in its own
/// transaction together with its row in `schema_migrations`.
package struct Migrator: Sendable {
    let client: PostgresClient
    let schema: String
    let logger: Logger

    /// - Parameter schema: the schema the service's role owns (a plain identifier).
    package init(client: PostgresClient, schema: String, logger: Logger) throws {
        guard let first = schema.utf8.first, first < 0x30 || first > 0x39,
              schema.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
            throw DatabaseConfigurationError(message: "schema name \(schema) must be lower-case letters, digits and underscores")
        }
        self.client = client
        self.schema = schema
        self.logger = logger
    }

    /// Applies what is pending, in order; returns the migrations it applied.
    @discardableResult
    package func migrate(_ migrations: [Migration]) async throws -> [Migration] {
        try await client.withConnection { connection in
            let lockKey = "clipset.migrations.\(schema)"
            try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockKey)))", logger: logger)
            do {
                let applied = try await applyPending(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                throw error
            }
        }
    }

    private func applyPending(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                component text NOT NULL,
                version integer NOT NULL,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version)
            )
            """), logger: logger)
        let done = try await appliedChecksums(on: connection)
        var applied: [Migration] = []
        for migration in migrations {
            if let checksum = done[MigrationID(migration)] {
                guard checksum == migration.checksum else { throw MigrationError.edited(migration) }
                continue
            }
            try await apply(migration, on: connection)
            applied.append(migration)
        }
        return applied
    }

    private func appliedChecksums(on connection: PostgresConnection) async throws -> [MigrationID: String] {
        let rows = try await connection.query(
            "SELECT component, version, checksum FROM \(unescaped: schema).schema_migrations", logger: logger)
        var result: [MigrationID: String] = [:]
        for try await (component, version, checksum) in rows.decode((String, Int, String).self) {
            result[MigrationID(component: component, version: version)] = checksum
        }
        return result
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        logger.info("applying migration", metadata: [
            "migration.component": "\(migration.component)", "migration.version": "\(migration.version)",
            "migration.name": "\(migration.name)",
        ])
        do {
            try await connection.withTransaction(logger: logger) { connection in
                // Unqualified names in migration files land in the service's schema.
                try await connection.query("SET LOCAL search_path TO \(unescaped: schema)", logger: logger)
                for statement in SQLStatementSplitter.split(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO \(unescaped: schema).schema_migrations (component, version, name, checksum)
                    VALUES (\(migration.component), \(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
            }
        } catch {
            throw MigrationError.failed(migration, underlying: String(reflecting: error))
        }
    }
}

private struct MigrationID: Hashable {
    let component: String
    let version: Int

    init(component: String, version: Int) {
        self.component = component
        self.version = version
    }

    init(_ migration: Migration) {
        self.init(component: migration.component, version: migration.version)
    }
}

/// Why migrating stopped.
package enum MigrationError: Error, CustomStringConvertible {
    /// An applied migration's SQL changed since: fix it with a new migration instead.
    case edited(Migration)
    /// A statement failed; the migration's transaction was rolled back.
    case failed(Migration, underlying: String)

    package var description: String {
        switch self {
        case .edited(let m): "migration \(m.component)/\(m.version) \(m.name) was changed after it was applied"
        case .failed(let m, let underlying): "migration \(m.component)/\(m.version) \(m.name) failed: \(underlying)"
        }
    }
}
