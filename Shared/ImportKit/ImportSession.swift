import Database
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Synchronization

/// Runs one service's import: a database client for its schema while `body` runs,
/// then the report as the last line on standard output.
package enum ImportSession {
    /// Runs `body` with a running client; prints its report.
    package static func run(
        service: String, _ body: @escaping @Sendable (ServiceEnvironment, PostgresClient) async throws -> ImportReport
    ) async throws {
        let environment = ServiceEnvironment.bootstrap(service: service)
        var settings = try DatabaseSettings(reader: environment.reader)
        settings.poolSize = 2
        let client = settings.makeClient(logger: environment.logger)
        let report = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(environment, client)
        }
        print(try report.line())
    }

    /// Runs `body` in one transaction, kept unless this is a dry run (then rolled back,
    /// after the counts were taken inside it).
    package static func transaction(
        _ client: PostgresClient, dryRun: Bool, logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> ImportReport
    ) async throws -> ImportReport {
        let box = ReportBox()
        do {
            try await client.transaction(logger: logger) { connection in
                let report = try await body(connection)
                box.set(report)
                if dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {}
        guard let report = box.get() else { throw DryRunRollback() }
        return report
    }
}

/// Carries the report out of a transaction that a dry run rolls back.
private final class ReportBox: Sendable {
    private let value = Mutex<ImportReport?>(nil)
    func set(_ report: ImportReport) { value.withLock { $0 = report } }
    func get() -> ImportReport? { value.withLock { $0 } }
}
