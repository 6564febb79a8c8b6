import Logging
import PostgresNIO
import Synchronization

/// PostgreSQL could not give a connection in time: it is down or saturated.
package struct DatabaseUnavailableError: Error, CustomStringConvertible {
    package let waited: Duration
    package var description: String { "no PostgreSQL connection within \(waited)" }
}

extension PostgresClient {
    /// How long a request waits for a pooled connection before it is told the
    /// database is unavailable (the pool itself would wait for ever while
    /// PostgreSQL is down, reconnecting in the background).
    package static let leaseTimeout = Duration.seconds(5)

    /// Runs `body` on a leased connection; throws ``DatabaseUnavailableError``
    /// when none is free within `timeout`. Only the wait is bounded, not `body`.
    package func withLeasedConnection<Result: Sendable>(
        timeout: Duration = leaseTimeout, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await self.withConnection { connection in
                    leased.value.store(true, ordering: .sequentiallyConsistent)
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if leased.value.load(ordering: .sequentiallyConsistent) { return nil }
                throw DatabaseUnavailableError(waited: timeout)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw DatabaseUnavailableError(waited: timeout)
        }
    }

    /// The rows of `query`, collected, on a connection leased within the timeout.
    package func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withLeasedConnection { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }
}

/// Whether the lease was granted, shared by the two racing tasks.
private final class LeaseFlag: Sendable {
    let value = Atomic(false)
}
