import AMQP
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

    /// Declares the service's event queue `<schema>.events` bound to `routingKeys` (and the
    /// exchanges) with a short-lived connection, so that events published before the service
    /// first consumes (auth's initial admin, at a platform's first start) wait in it instead of
    /// being dropped as unroutable. Retries a missing broker for up to a minute.
    package static func declareEventQueue(environment: ServiceEnvironment, schema: String, routingKeys: [String]) async throws {
        guard !routingKeys.isEmpty else { return }
        let reader = environment.reader
        let publisher = AMQPPublisher(configuration: try amqpConfiguration(reader: reader), logger: environment.logger)
        do {
            try await publisher.declare(eventQueueTopology(schema: schema, routingKeys: routingKeys, reader: reader))
            await publisher.close()
        } catch {
            await publisher.close()
            throw error
        }
        environment.logger.info("event queue is declared", metadata: [
            "amqp.queue": "\(eventQueue(schema: schema))", "amqp.bindings": "\(routingKeys.count)",
        ])
    }
}
