import Database
import Logging
import Messaging
import PostgresNIO

/// media's PostgreSQL with its outbox: a transaction that wrote events wakes the
/// relay when it commits, so they go out at once instead of at the next poll.
struct MediaDatabase: Sendable {
    let postgres: PostgresClient
    let outbox: Outbox
    let relay: OutboxRelay
    let logger: Logger

    /// Runs `body` in a transaction, then wakes the outbox relay.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let result = try await postgres.transaction(logger: logger, body)
        relay.wake()
        return result
    }

    /// The rows of `query` on a leased connection.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await postgres.rows(query, logger: logger)
    }
}
