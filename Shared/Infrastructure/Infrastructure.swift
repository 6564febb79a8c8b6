import AMQP
import Configuration
import Database
import Logging
import Messaging
import PostgresNIO
import Redis
import ServiceKit
import ServiceLifecycle

/// The clients every service with a schema runs on: PostgreSQL, Redis and
/// RabbitMQ, the outbox relay, and their readiness checks.
///
/// Configuration keys (besides those of ``DatabaseSettings`` and ``OutboxRelaySettings``):
/// - `redis.url` (`REDIS_URL`, default `redis://127.0.0.1:6379`).
/// - `redis.pool.size` (`REDIS_POOL_SIZE`, default 4).
/// - `amqp.url` (`AMQP_URL`, secret, default `amqp://guest:guest@127.0.0.1:5672/%2F`).
package struct Infrastructure: Sendable {
    /// The service's schema, which its role owns.
    package let schema: String
    /// The pooled PostgreSQL client.
    package let postgres: PostgresClient
    /// The Redis pool.
    package let redis: RedisClient
    /// Publishes with confirms; used by the outbox relay and for transient events.
    package let publisher: AMQPPublisher
    /// Writes events in the caller's transaction.
    package let outbox: Outbox
    /// Publishes what the outbox holds.
    package let relay: OutboxRelay
    /// Where the broker is, for consumers.
    package let amqp: AMQPConfiguration
    let logger: Logger

    /// Builds the clients; nothing connects until the services run.
    package init(environment: ServiceEnvironment, schema: String) throws {
        let reader = environment.reader
        self.schema = schema
        logger = environment.logger
        postgres = try DatabaseSettings(reader: reader).makeClient(logger: environment.logger)
        let redisURL = reader.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
        redis = RedisClient(
            configuration: try RedisConfiguration(url: redisURL, poolSize: reader.int(forKey: "redis.pool.size", default: 4)),
            logger: environment.logger
        )
        amqp = try Self.amqpConfiguration(reader: reader)
        publisher = AMQPPublisher(configuration: amqp, logger: environment.logger)
        outbox = Outbox(schema: schema, producer: environment.name)
        relay = OutboxRelay(
            client: postgres, publisher: publisher, schema: schema,
            settings: OutboxRelaySettings(reader: reader), logger: environment.logger
        )
    }

    /// `postgres`, `redis` and `rabbitmq`, as `/ready` reports them.
    package var readiness: [ReadinessCheck] {
        [
            ReadinessCheck("postgres") { [postgres, logger] in
                try await postgres.query("SELECT 1", logger: logger)
            },
            ReadinessCheck("redis") { [redis] in try await redis.ping() },
            ReadinessCheck("rabbitmq") { [publisher] in try await publisher.healthCheck() },
        ]
    }

    /// The long-lived parts in start order; they stop in reverse.
    package var services: [any Service] { [postgres, redis, PublisherLifetime(publisher: publisher), relay] }

    /// A consumer of the service's own queue, `<schema>.events`, bound to the
    /// event types `handlers` knows.
    package func eventConsumer(handlers: EventHandlers, reader: ConfigReader) -> EventConsumer {
        // A consumer never gives up on the broker: an outage of any length ends
        // with the consumer back, not with the service exiting.
        var amqp = amqp
        amqp.reconnect = AMQPReconnectPolicy(maxAttempts: nil, maxDuration: nil)
        let consumer = AMQPConsumer(
            queue: Self.eventQueue(schema: schema),
            prefetch: UInt16(clamping: reader.int(forKey: "events.prefetch", default: 16)),
            topology: Self.eventQueueTopology(schema: schema, routingKeys: handlers.routingKeys, reader: reader),
            configuration: amqp,
            logger: logger
        )
        return EventConsumer(consumer: consumer, client: postgres, schema: schema, handlers: handlers, logger: logger)
    }

    /// Where the broker is (`amqp.url`).
    static func amqpConfiguration(reader: ConfigReader) throws -> AMQPConfiguration {
        try AMQPConfiguration(url: reader.string(
            forKey: "amqp.url", isSecret: true, default: "amqp://guest:guest@127.0.0.1:5672/%2F"))
    }

    /// The queue a schema-owning service consumes its events from.
    package static func eventQueue(schema: String) -> String { "\(schema).events" }

    /// That queue bound to `routingKeys`, with its dead-letter queue (`events.delivery.limit`,
    /// `EVENTS_DELIVERY_LIMIT`, default 5 deliveries).
    static func eventQueueTopology(schema: String, routingKeys: [String], reader: ConfigReader) -> AMQPTopology {
        EventTopology.consumer(
            queue: eventQueue(schema: schema), routingKeys: routingKeys,
            deliveryLimit: reader.int(forKey: "events.delivery.limit", default: 5))
    }
}
