import Contracts
import Database
import Foundation
import Logging
import Messaging
import PostgresNIO

/// What every service other than auth keeps of users' access: who is
/// deactivated, from auth's `auth.user.deactivated` / `auth.user.activated`
/// events, in table `user_access` of the service's own schema. An older event
/// never overrides a newer one (`changed_at`), so redelivery out of order is harmless.
package struct UserAccessReadModel: Sendable {
    package let schema: String

    package init(schema: String) { self.schema = schema }

    /// The `identity` component's migrations, applied with the service's own.
    package static let migrations: [Migration] = [
        Migration(component: "identity", version: 1, name: "user_access", sql: """
            CREATE TABLE user_access (
                user_id uuid PRIMARY KEY,
                active boolean NOT NULL,
                changed_at timestamptz NOT NULL
            );
            CREATE INDEX user_access_inactive ON user_access (user_id) WHERE NOT active;
            """),
    ]

    /// Handlers of the two events, to merge into the service's own.
    package func register(in handlers: inout EventHandlers) {
        handlers.on(UserDeactivated.self) { envelope, connection, logger in
            try await record(envelope.data.userID, active: false, at: envelope.occurredAt, connection: connection, logger: logger)
        }
        handlers.on(UserActivated.self) { envelope, connection, logger in
            try await record(envelope.data.userID, active: true, at: envelope.occurredAt, connection: connection, logger: logger)
        }
    }

    /// The deactivated users, for ``DeactivatedUsers``.
    package func deactivated(client: PostgresClient, logger: Logger) async throws -> Set<UUID> {
        let rows = try await client.query(
            "SELECT user_id FROM \(unescaped: schema).user_access WHERE NOT active", logger: logger)
        var ids: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { ids.insert(id) }
        return ids
    }

    private func record(_ userID: UUID, active: Bool, at time: Date, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: schema).user_access (user_id, active, changed_at) VALUES (\(userID), \(active), \(time))
            ON CONFLICT (user_id) DO UPDATE SET active = EXCLUDED.active, changed_at = EXCLUDED.changed_at
            WHERE user_access.changed_at <= EXCLUDED.changed_at
            """, logger: logger)
    }
}
