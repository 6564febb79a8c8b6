import AMQP
import Contracts
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Applies the events of a service's queue, each exactly once.
///
/// For each delivery: read the envelope (a body that is not one is rejected to
/// the dead-letter queue at once), apply its handler together with the inbox
/// row in one transaction, and acknowledge after the commit. A handler that
/// throws gets the message back later (nack with requeue); past the queue's
/// delivery limit RabbitMQ dead-letters it.
package final class EventConsumer: Service {
    private let consumer: AMQPConsumer
    private let client: PostgresClient
    private let inbox: Inbox
    private let handlers: EventHandlers
    private let logger: Logger

    package init(consumer: AMQPConsumer, client: PostgresClient, schema: String, handlers: EventHandlers, logger: Logger) {
        self.consumer = consumer
        self.client = client
        self.inbox = Inbox(schema: schema)
        self.handlers = handlers
        self.logger = logger
    }

    package func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.consumer.run() }
            for await delivery in consumer.deliveries {
                await process(delivery)
            }
        }
    }

    /// Applies one delivery and settles it with the broker.
    package func process(_ delivery: AMQPDelivery) async {
        var logger = self.logger
        logger[metadataKey: "amqp.routing_key"] = .string(delivery.routingKey)
        let event: IncomingEvent
        do {
            event = try IncomingEvent(body: Data(delivery.body))
        } catch {
            logger.error("not an event envelope: dead-lettered", metadata: ["error": "\(error)"])
            Counter(label: "events_rejected_total").increment()
            await settle { try await delivery.reject(requeue: false) }
            return
        }
        logger[metadataKey: "event.id"] = .string(event.id.uuidString.lowercased())
        logger[metadataKey: "event.type"] = .string(event.type)
        guard let handler = handlers.handler(for: event.type) else {
            logger.debug("no handler for event type: acknowledged")
            await settle { try await delivery.ack() }
            return
        }
        do {
            let outcome = try await inbox.apply(event, using: client, logger: logger) { connection in
                try await handler(event, connection, logger)
            }
            Counter(label: outcome == .applied ? "events_applied_total" : "events_duplicate_total",
                    dimensions: [("type", event.type)]).increment()
            await settle { try await delivery.ack() }
        } catch {
            Counter(label: "events_failed_total", dimensions: [("type", event.type)]).increment()
            logger.warning("event handler failed: returned to the queue", metadata: ["error": "\(String(reflecting: error))"])
            await settle { try await delivery.nack(requeue: true) }
        }
    }

    /// An ack or nack that fails means the connection is gone; the broker will
    /// redeliver, and the inbox makes that harmless.
    private func settle(_ operation: () async throws -> Void) async {
        do { try await operation() } catch {
            logger.warning("could not settle a delivery; it will be redelivered", metadata: ["error": "\(error)"])
        }
    }
}
