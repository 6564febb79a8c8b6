import Database
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

extension Infrastructure {
    /// Applies the shared messaging tables, other `shared` ones and the service's own migrations
    /// (`NNNN_name.sql` files of `directory`) with a short-lived client, under
    /// the schema's advisory lock, so replicas starting together are safe.
    package static func migrate(
        environment: ServiceEnvironment, schema: String, shared: [Migration] = [], directory: URL?
    ) async throws {
        guard let directory else {
            throw DatabaseConfigurationError(message: "the \(schema) service's Migrations folder is missing from its bundle")
        }
        let migrations = MessagingMigrations.all + shared + (try Migration.load(component: schema, directory: directory))
        var settings = try DatabaseSettings(reader: environment.reader)
        settings.poolSize = 1
        let client = settings.makeClient(logger: environment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let applied = try await Migrator(client: client, schema: schema, logger: environment.logger).migrate(migrations)
            environment.logger.info("schema is up to date", metadata: [
                "db.schema": "\(schema)", "migrations.applied": "\(applied.count)", "migrations.total": "\(migrations.count)",
            ])
        }
    }
}
