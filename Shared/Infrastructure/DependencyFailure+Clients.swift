import Database
import PostgresNIO
import Redis
import ServiceKit

extension PSQLError: DependencyFailure {
    /// Connection-level failures, and server errors of the classes that mean the
    /// server cannot serve now: 08 (connection exception), 53 (insufficient
    /// resources), 57 (operator intervention, e.g. shutting down).
    package var isUnavailable: Bool {
        switch code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57")
        default:
            return false
        }
    }
}

extension PostgresTransactionError: DependencyFailure {
    /// The transaction could not begin or commit because the server went away.
    package var isUnavailable: Bool {
        [beginError, closureError, commitError].contains { ($0 as? any DependencyFailure)?.isUnavailable == true }
    }
}

extension RedisError: DependencyFailure {
    package var isUnavailable: Bool {
        [.io, .endOfFile, .connectionFailed, .shutdown].contains(code)
    }
}

extension DatabaseUnavailableError: DependencyFailure {
    package var isUnavailable: Bool { true }
}
