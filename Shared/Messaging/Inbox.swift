import Contracts
import Logging
import PostgresNIO

/// Records which events a service has applied, so a redelivered event is a no-op.
///
/// The inbox row is written in the same transaction as the event's effect:
/// either both commit or neither does, and the message is acknowledged only
/// after the commit. A crash between commit and ack means a redelivery, which
/// finds the row and skips the effect.
package struct Inbox: Sendable {
    /// The schema that holds the `inbox` table (the service's own).
    package let schema: String

    package init(schema: String) {
        self.schema = schema
    }

    /// What applying one event did.
    package enum Outcome: Sendable, Equatable {
        /// The effect ran and committed.
        case applied
        /// The event had been applied before; nothing ran.
        case duplicate
    }

    /// Runs `effect` for `event` in one transaction with its inbox row, unless
    /// the event was applied before.
    package func apply(
        _ event: IncomingEvent,
        using client: PostgresClient,
        logger: Logger,
        effect: (PostgresConnection) async throws -> Void
    ) async throws -> Outcome {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO \(unescaped: schema).inbox (event_id, event_type) VALUES (\(event.id), \(event.type))
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
                """, logger: logger)
            var inserted = false
            for try await _ in rows { inserted = true }
            guard inserted else { return Outcome.duplicate }
            try await effect(connection)
            return Outcome.applied
        }
    }
}
