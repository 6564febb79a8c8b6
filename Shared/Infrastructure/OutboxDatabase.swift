import Contracts
import Database
import Logging
import Messaging
import PostgresNIO

/// A service's PostgreSQL with its outbox: a transaction that wrote events wakes
/// the relay when it commits, so they go out at once instead of at the next poll.
package struct OutboxDatabase: Sendable {
    package let postgres: PostgresClient
    package let outbox: Outbox
    package let relay: OutboxRelay
    package let logger: Logger

    package init(postgres: PostgresClient, outbox: Outbox, relay: OutboxRelay, logger: Logger) {
        self.postgres = postgres
        self.outbox = outbox
        self.relay = relay
        self.logger = logger
    }

    /// Runs `body` in a transaction, then wakes the outbox relay.
    package func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let result = try await postgres.transaction(logger: logger, body)
        relay.wake()
        return result
    }

    /// The rows of `query` on a leased connection.
    package func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await postgres.rows(query, logger: logger)
    }

    /// Enqueues `event` in the transaction of `connection`.
    package func enqueue<Event: EventPayload>(_ event: Event, on connection: PostgresConnection) async throws {
        _ = try await outbox.enqueue(event, on: connection, logger: logger)
    }
}
