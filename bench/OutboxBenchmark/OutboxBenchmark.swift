import AMQP
import Contracts
import Database
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Measures the transactional outbox: how many events per second the relay
/// publishes with publisher confirms, and how many per second a consumer
/// applies through the inbox, against real PostgreSQL and RabbitMQ.
///
/// Environment: `BENCH_POSTGRES_URL` (a superuser URL), `BENCH_AMQP_URL`,
/// `BENCH_EVENTS` (default 20000), `BENCH_BATCH` (relay batch size, default 200).
@main
struct OutboxBenchmark {
    struct BenchEvent: EventPayload {
        static let eventType = "bench.outbox.event"
        static let eventVersion = 1
        var n: Int
    }

    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let postgresURL = environment["BENCH_POSTGRES_URL"], let amqpURL = environment["BENCH_AMQP_URL"] else {
            print("set BENCH_POSTGRES_URL and BENCH_AMQP_URL (bench/run does)")
            return
        }
        let count = Int(environment["BENCH_EVENTS"] ?? "") ?? 20_000
        var settings = OutboxRelaySettings()
        settings.batchSize = Int(environment["BENCH_BATCH"] ?? "") ?? 200
        settings.pollInterval = .milliseconds(20)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let schema = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        let client = try DatabaseSettings(url: postgresURL, poolSize: 8).makeClient(logger: logger)
        let amqp = try AMQPConfiguration(url: amqpURL)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
            try await Migrator(client: client, schema: schema, logger: logger).migrate(MessagingMigrations.all)
            let publisher = AMQPPublisher(configuration: amqp, logger: logger)
            let queue = "\(schema).events"
            try await publisher.declare(EventTopology.consumer(queue: queue, routingKeys: [BenchEvent.eventType], deliveryLimit: 5))

            let outbox = Outbox(schema: schema, producer: "bench")
            let writeStart = ContinuousClock.now
            for start in stride(from: 0, to: count, by: 100) {
                try await client.withTransaction(logger: logger) { connection in
                    for n in start..<min(start + 100, count) {
                        try await outbox.enqueue(BenchEvent(n: n), on: connection, logger: logger)
                    }
                }
            }
            let writeTime = ContinuousClock.now - writeStart

            let relay = OutboxRelay(client: client, publisher: publisher, schema: schema, settings: settings, logger: logger)
            let relayStart = ContinuousClock.now
            let relayTask = Task { try await relay.run() }
            while try await pending(client, schema, logger) > 0 { try await Task.sleep(for: .milliseconds(20)) }
            let relayTime = ContinuousClock.now - relayStart

            var handlers = EventHandlers()
            handlers.on(BenchEvent.self) { _, _, _ in }
            let consumer = AMQPConsumer(queue: queue, prefetch: 64, configuration: amqp, logger: logger)
            let applier = EventConsumer(consumer: consumer, client: client, schema: schema, handlers: handlers, logger: logger)
            let applyStart = ContinuousClock.now
            let applierTask = Task { try await applier.run() }
            while try await applied(client, schema, logger) < count { try await Task.sleep(for: .milliseconds(20)) }
            let applyTime = ContinuousClock.now - applyStart

            print("outbox write (100 events per transaction): \(rate(count, writeTime)) events/s")
            print("outbox relay publish with confirms (batch \(settings.batchSize)): \(rate(count, relayTime)) events/s")
            print("consumer apply through the inbox (prefetch 64): \(rate(count, applyTime)) events/s")
            relayTask.cancel()
            applierTask.cancel()
            _ = await (relayTask.result, applierTask.result)
            _ = try? await publisher.deleteQueue(queue)
            _ = try? await publisher.deleteQueue("\(queue).dead")
            await publisher.close()
            try await client.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
        }
    }

    static func pending(_ client: PostgresClient, _ schema: String, _ logger: Logger) async throws -> Int {
        try await scalar(client, "SELECT count(*) FROM \(unescaped: schema).outbox WHERE published_at IS NULL", logger)
    }

    static func applied(_ client: PostgresClient, _ schema: String, _ logger: Logger) async throws -> Int {
        try await scalar(client, "SELECT count(*) FROM \(unescaped: schema).inbox", logger)
    }

    static func scalar(_ client: PostgresClient, _ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return Int((Double(count) / max(seconds, 0.000_001)).rounded())
    }
}
