import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, but an error thrown by `body` (or by a statement in it)
    /// comes out as itself, not wrapped in `PostgresTransactionError`, so a
    /// domain error keeps its HTTP status and a unique violation can be recognised.
    package func transaction<Result: Sendable>(
        logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withLeasedConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as PostgresTransactionError {
            if let cause = error.closureError { throw cause }
            throw error
        }
    }
}
