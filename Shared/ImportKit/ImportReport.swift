import Foundation

/// What one service's import did, table by table, printed as the last line of its
/// output (`IMPORT-COUNTS <json>`) for `scripts/clipset import` to add up.
package struct ImportReport: Encodable, Sendable {
    /// The counts of one table.
    package struct Counts: Encodable, Sendable, Equatable {
        /// Rows in the source.
        package var source = 0
        /// Rows written now.
        package var imported = 0
        /// Rows that an earlier import wrote.
        package var existing = 0
        /// Source rows that became an existing Clipset row (users with the same name or address).
        package var merged = 0
        /// Source rows left out, each with a problem saying why.
        package var skipped = 0
        /// Source rows that exist in Clipset afterwards (in a dry run: would exist).
        package var present = 0

        package init() {}
    }

    package var service: String
    package var dryRun: Bool
    package var tables: [String: Counts] = [:]
    package var problems: [String] = []

    package init(service: String, dryRun: Bool) {
        self.service = service
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey {
        case service, tables, problems
        case dryRun = "dry_run"
    }

    /// Changes the counts of `table` (created empty).
    package mutating func update(_ table: String, _ change: (inout Counts) -> Void) {
        change(&tables[table, default: Counts()])
    }

    /// A row left out, and why.
    package mutating func skip(_ table: String, _ problem: String) {
        update(table) { $0.skipped += 1 }
        problems.append("\(table): \(problem)")
    }

    /// The closing line.
    package func line() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return "IMPORT-COUNTS " + String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Progress lines on standard error (standard output carries the logs and the report).
package struct ImportProgress: Sendable {
    let service: String

    package init(service: String) { self.service = service }

    /// "media: videos 20/120".
    package func say(_ text: String) {
        FileHandle.standardError.write(Data("\(service): \(text)\n".utf8))
    }

    /// Every `every` rows and at the last.
    package func count(_ table: String, _ done: Int, of total: Int, every: Int = 100) {
        if done == total || done % every == 0 { say("\(table) \(done)/\(total)") }
    }
}
