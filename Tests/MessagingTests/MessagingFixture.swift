import AMQP
import Contracts
import Database
import Foundation
import Logging
import Messaging
import PostgresNIO
import TestSupport

/// A throw-away service schema with the messaging tables and an `effects`
/// table without a unique key, so an event applied twice shows as two rows.
struct MessagingFixture: Sendable {
    let client: PostgresClient
    let schema: String
    let queue: String
    let amqp: AMQPConfiguration
    let logger = Logger(label: "messaging-tests")

    static func with(_ body: (MessagingFixture) async throws -> Void) async throws {
        try await TestDatabase.withSchema { client, schema in
            let fixture = MessagingFixture(
                client: client, schema: schema, queue: "\(schema).events", amqp: try AMQPConfiguration(url: TestEnvironment.amqpURL))
            let effects = Migration(component: "test", version: 1, name: "effects", sql: "CREATE TABLE effects (event_id uuid NOT NULL, n integer NOT NULL);")
            try await Migrator(client: client, schema: schema, logger: fixture.logger).migrate(MessagingMigrations.all + [effects])
            let publisher = AMQPPublisher(configuration: fixture.amqp, logger: fixture.logger)
            do {
                try await body(fixture)
            } catch {
                await fixture.deleteQueues(using: publisher)
                throw error
            }
            await fixture.deleteQueues(using: publisher)
        }
    }

    /// Records an effect of `event` on the handler's connection (inside the inbox transaction).
    func recordEffect(_ id: UUID, n: Int, on connection: PostgresConnection) async throws {
        try await connection.query("INSERT INTO \(unescaped: schema).effects (event_id, n) VALUES (\(id), \(n))", logger: logger)
    }

    /// (all effect rows, distinct events among them)
    func effectCounts() async throws -> (total: Int, distinct: Int) {
        let rows = try await client.query("SELECT count(*), count(DISTINCT event_id) FROM \(unescaped: schema).effects", logger: logger)
        for try await (total, distinct) in rows.decode((Int, Int).self) { return (total, distinct) }
        return (0, 0)
    }

    func unpublishedOutboxRows() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM \(unescaped: schema).outbox WHERE published_at IS NULL", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    func consumer(routingKeys: [String], deliveryLimit: Int = 5, prefetch: UInt16 = 32) -> AMQPConsumer {
        AMQPConsumer(
            queue: queue, prefetch: prefetch,
            topology: EventTopology.consumer(queue: queue, routingKeys: routingKeys, deliveryLimit: deliveryLimit),
            configuration: amqp, logger: logger)
    }

    private func deleteQueues(using publisher: AMQPPublisher) async {
        _ = try? await publisher.deleteQueue(queue)
        _ = try? await publisher.deleteQueue("\(queue).dead")
        await publisher.close()
    }
}

/// Runs long-lived parts (relay, consumers) for the duration of `body`, then cancels them.
func running<Result: Sendable>(
    _ parts: [@Sendable () async throws -> Void], _ body: () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for part in parts { group.addTask { try await part() } }
        defer { group.cancelAll() }
        return try await body()
    }
}
