import Logging
import PostgresNIO

/// Where a source row would go: free, holding the row an earlier import wrote, or taken by
/// another row with one of its unique keys (a short id, a token).
package enum ImportSlot: Sendable, Equatable {
    case free
    case alreadyImported
    case taken

    /// Runs `query`, which selects one boolean `id = <source id>` per row holding the source
    /// row's id or one of its unique keys.
    package static func find(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> ImportSlot {
        let rows = try await connection.query(query, logger: logger).collect()
        guard let row = rows.first else { return .free }
        return try row.decode(Bool.self) ? .alreadyImported : .taken
    }
}

extension ImportReport {
    /// Counts a source row of `table` and whether it may be written: an already imported
    /// row counts as existing, a taken slot is skipped with `conflict` as the problem.
    package mutating func admit(_ slot: ImportSlot, _ table: String, conflict: @autoclosure () -> String) -> Bool {
        update(table) { $0.source += 1 }
        switch slot {
        case .free: return true
        case .alreadyImported: update(table) { $0.existing += 1 }
        case .taken: skip(table, conflict())
        }
        return false
    }
}
