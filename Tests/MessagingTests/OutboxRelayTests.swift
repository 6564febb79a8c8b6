import AMQP
import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Testing
import TestSupport

/// An event the outbox test counts.
struct CountedEvent: EventPayload {
    static let eventType = "test.outbox.counted"
    static let eventVersion = 1
    var n: Int
}

/// The transactional outbox against the real PostgreSQL and RabbitMQ.
@Suite struct OutboxRelayTests {
    /// Nothing is published for a transaction that rolled back.
    @Test func aRolledBackTransactionPublishesNothing() async throws {
        try await MessagingFixture.with { fixture in
            let outbox = Outbox(schema: fixture.schema, producer: "test")
            struct Abort: Error {}
            await #expect(throws: (any Error).self) {
                try await fixture.client.withTransaction(logger: fixture.logger) { connection in
                    try await outbox.enqueue(CountedEvent(n: 1), on: connection, logger: fixture.logger)
                    throw Abort()
                }
            }
            let unpublished = try await fixture.unpublishedOutboxRows()
            #expect(unpublished == 0)
        }
    }
}

/// The outbox across a broker restart; restarts the shared broker, so it runs alone.
@Suite(.serialized) struct OutboxRestartTests {
    /// ARCHITECTURE §2 rule 3: 1,000 events written through the outbox while the
    /// broker restarts mid-stream arrive with exactly 1,000 applied effects.
    @Test(.timeLimit(.minutes(4)))
    func thousandEventsSurviveABrokerRestartWithExactlyOneEffectEach() async throws {
        try await MessagingFixture.with { fixture in
            let logger = fixture.logger
            let publisher = AMQPPublisher(configuration: fixture.amqp, logger: logger)
            var settings = OutboxRelaySettings()
            settings.batchSize = 100
            settings.pollInterval = .milliseconds(50)
            let relay = OutboxRelay(client: fixture.client, publisher: publisher, schema: fixture.schema, settings: settings, logger: logger)
            var handlers = EventHandlers()
            handlers.on(CountedEvent.self) { envelope, connection, _ in
                try await fixture.recordEffect(envelope.id, n: envelope.data.n, on: connection)
            }
            let consumer = EventConsumer(
                consumer: fixture.consumer(routingKeys: handlers.routingKeys), client: fixture.client,
                schema: fixture.schema, handlers: handlers, logger: logger)
            // Declare the queue before anything is published, so no event is unroutable.
            try await publisher.declare(EventTopology.consumer(queue: fixture.queue, routingKeys: handlers.routingKeys, deliveryLimit: 5))
            let outbox = Outbox(schema: fixture.schema, producer: "test")

            try await running([{ try await relay.run() }, { try await consumer.run() }]) {
                let started = ContinuousClock.now
                var restart: Task<Void, any Error>?
                for n in 0..<1000 {
                    _ = try await fixture.client.withTransaction(logger: logger) { connection in
                        try await outbox.enqueue(CountedEvent(n: n), on: connection, logger: logger)
                    }
                    relay.wake()
                    if n == 300 { restart = Task { try await InfrastructureControl.restart(.rabbitmq) } }
                }
                try await restart?.value
                let arrived = try await eventually(timeout: .seconds(120), every: .milliseconds(250)) {
                    try await fixture.effectCounts().total >= 1000
                }
                #expect(arrived)
                // Give stragglers (redeliveries after the restart) time to show up as duplicates.
                try await Task.sleep(for: .seconds(2))
                let counts = try await fixture.effectCounts()
                #expect(counts.total == 1000)
                #expect(counts.distinct == 1000)
                #expect(try await fixture.unpublishedOutboxRows() == 0)
                logger.notice("1000 events with a broker restart", metadata: ["elapsed": "\(ContinuousClock.now - started)"])
            }
            await publisher.close()
        }
    }
}
