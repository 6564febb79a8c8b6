import AMQP
import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Synchronization
import Testing
import TestSupport

struct RedeliveredEvent: EventPayload {
    static let eventType = "test.inbox.redelivered"
    static let eventVersion = 1
    var n: Int
}

struct PoisonEvent: EventPayload {
    static let eventType = "test.inbox.poison"
    static let eventVersion = 1
    var n: Int
}

/// The inbox and dead-lettering against the real PostgreSQL and RabbitMQ.
@Suite struct EventConsumerTests {
    func publish<Payload: EventPayload>(_ payload: Payload, with publisher: AMQPPublisher) async throws -> EventEnvelope<Payload> {
        let envelope = EventEnvelope(producer: "test", data: payload)
        try await publisher.publish(AMQPOutgoingMessage(
            exchange: EventTopology.eventsExchange, routingKey: Payload.eventType,
            body: Array(try EventCoding.encoder().encode(envelope)), messageId: envelope.id.uuidString))
        return envelope
    }

    /// A consumer that dies after committing the effect but before its ack gets
    /// the message again (on a new consumer), and the effect is not applied twice.
    @Test func aConsumerKilledBeforeItsAckGetsTheMessageAgainAndAppliesItOnce() async throws {
        try await MessagingFixture.with { fixture in
            let publisher = AMQPPublisher(configuration: fixture.amqp, logger: fixture.logger)
            let keys = [RedeliveredEvent.eventType]
            try await publisher.declare(EventTopology.consumer(queue: fixture.queue, routingKeys: keys, deliveryLimit: 5))
            let sent = try await publish(RedeliveredEvent(n: 42), with: publisher)
            let inbox = Inbox(schema: fixture.schema)

            // First consumer: applies the effect and commits, then "dies" before acking.
            let first = fixture.consumer(routingKeys: keys)
            try await running([{ try await first.run() }]) {
                var deliveries = first.deliveries.makeAsyncIterator()
                let delivery = try #require(await deliveries.next())
                #expect(delivery.redelivered == false)
                let event = try IncomingEvent(body: Data(delivery.body))
                let outcome = try await inbox.apply(event, using: fixture.client, logger: fixture.logger) { connection in
                    try await fixture.recordEffect(event.id, n: 42, on: connection)
                }
                #expect(outcome == .applied)
            }

            // Second consumer: the broker redelivers; the inbox skips the effect and it is acked.
            var handlers = EventHandlers()
            handlers.on(RedeliveredEvent.self) { envelope, connection, _ in
                try await fixture.recordEffect(envelope.id, n: envelope.data.n, on: connection)
            }
            let second = fixture.consumer(routingKeys: keys)
            let applier = EventConsumer(consumer: second, client: fixture.client, schema: fixture.schema, handlers: handlers, logger: fixture.logger)
            try await running([{ try await second.run() }]) {
                var deliveries = second.deliveries.makeAsyncIterator()
                let delivery = try #require(await deliveries.next())
                #expect(delivery.redelivered)
                #expect(try IncomingEvent(body: Data(delivery.body)).id == sent.id)
                await applier.process(delivery)
            }
            let counts = try await fixture.effectCounts()
            #expect(counts.total == 1)
            #expect(try await publisher.messageCount(queue: fixture.queue) == 0)
            await publisher.close()
        }
    }

    /// A message whose handler always fails is retried up to the delivery limit,
    /// then RabbitMQ moves it to the queue's dead-letter queue; a body that is not
    /// an event goes there at once.
    @Test(.timeLimit(.minutes(2)))
    func aMessageThatAlwaysFailsEndsInTheDeadLetterQueue() async throws {
        try await MessagingFixture.with { fixture in
            let publisher = AMQPPublisher(configuration: fixture.amqp, logger: fixture.logger)
            let attempts = Mutex(0)
            var handlers = EventHandlers()
            handlers.on(PoisonEvent.self) { _, _, _ in
                attempts.withLock { $0 += 1 }
                struct AlwaysFails: Error {}
                throw AlwaysFails()
            }
            let topology = EventTopology.consumer(queue: fixture.queue, routingKeys: handlers.routingKeys, deliveryLimit: 2)
            try await publisher.declare(topology)
            let consumer = EventConsumer(
                consumer: fixture.consumer(routingKeys: handlers.routingKeys, deliveryLimit: 2), client: fixture.client,
                schema: fixture.schema, handlers: handlers, logger: fixture.logger)
            let sent = try await publish(PoisonEvent(n: 1), with: publisher)
            try await publisher.publish(AMQPOutgoingMessage(
                exchange: EventTopology.eventsExchange, routingKey: PoisonEvent.eventType, body: Array("garbage".utf8)))

            let dead = AMQPConsumer(queue: "\(fixture.queue).dead", prefetch: 10, configuration: fixture.amqp, logger: fixture.logger)
            try await running([{ try await consumer.run() }, { try await dead.run() }]) {
                var deliveries = dead.deliveries.makeAsyncIterator()
                var bodies: [String] = []
                for _ in 0..<2 {
                    let delivery = try #require(await deliveries.next())
                    bodies.append(delivery.bodyString)
                    try await delivery.ack()
                }
                #expect(bodies.contains("garbage"))
                let poison = try #require(bodies.first { $0 != "garbage" })
                #expect(try IncomingEvent(body: Data(poison.utf8)).id == sent.id)
            }
            // Delivery limit 2: the first delivery and two redeliveries, then dead-lettered.
            #expect(attempts.withLock { $0 } == 3)
            let counts = try await fixture.effectCounts()
            #expect(counts.total == 0)
            await publisher.close()
        }
    }
}
