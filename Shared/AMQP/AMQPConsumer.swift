import Logging
import ServiceLifecycle

/// Consumes one queue with manual acknowledgements, as a `Service`.
///
/// ``run()`` owns the connection: it declares the topology it was given, sets
/// the prefetch (basic.qos), starts consuming and polls for deliveries, which
/// come out of ``deliveries``. After a lost connection it reconnects with the
/// back-off of ``AMQPConfiguration/reconnect`` and starts over. On graceful
/// shutdown (or ``triggerGracefulShutdown()``) it cancels the consumer, gives
/// deliveries in flight ``gracePeriod`` to be settled, closes the connection
/// (the broker requeues what is left) and ends ``deliveries``.
///
/// ```swift
/// let consumer = AMQPConsumer(queue: "social.events", prefetch: 20, topology: topology,
///                             configuration: configuration, logger: logger)
/// // add `consumer` to the ServiceGroup, then:
/// for await delivery in consumer.deliveries {
///     try await handle(delivery)
///     try await delivery.ack()
/// }
/// ```
package final class AMQPConsumer: Service, Sendable {
    /// The deliveries, in order; iterate once. The prefetch bounds how many wait here.
    package let deliveries: AMQPDeliveries
    /// The queue consumed.
    package var queue: String { channel.queue }
    /// How many unacknowledged deliveries the broker sends at most (basic.qos).
    package let prefetch: UInt16
    /// How long shutdown waits for deliveries in flight to be settled.
    package let gracePeriod: Duration

    let topology: AMQPTopology
    let configuration: AMQPConfiguration
    let logger: Logger
    let channel: AMQPConsumerChannel
    let continuation: AsyncStream<AMQPDelivery>.Continuation
    /// The longest a poll blocks the connection's thread (acknowledgements wake it earlier).
    let pollInterval: Duration

    /// Creates a consumer; nothing happens until ``run()``.
    ///
    /// - Parameters:
    ///   - queue: the queue to consume.
    ///   - prefetch: the most unacknowledged deliveries at a time (for media workers, their concurrency).
    ///   - topology: declared on every (re)connection, before consuming.
    ///   - gracePeriod: how long shutdown waits for deliveries in flight to be settled.
    package init(
        queue: String,
        prefetch: UInt16 = 10,
        topology: AMQPTopology = AMQPTopology(),
        gracePeriod: Duration = .seconds(5),
        configuration: AMQPConfiguration,
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "amqp.queue"] = "\(queue)"
        let (stream, continuation) = AsyncStream.makeStream(of: AMQPDelivery.self)
        self.deliveries = AMQPDeliveries(stream: stream)
        self.continuation = continuation
        self.prefetch = max(prefetch, 1)
        self.gracePeriod = gracePeriod
        self.topology = topology
        self.configuration = configuration
        self.logger = logger
        self.pollInterval = .milliseconds(200)
        self.channel = AMQPConsumerChannel(
            connection: AMQPConnection(configuration: configuration, logger: logger), queue: queue
        )
    }

    /// Consumes until graceful shutdown or cancellation; call once.
    ///
    /// - Throws: an ``AMQPError`` that is not retriable (the queue does not exist,
    ///   a declaration conflicts, access refused), or the last error once the
    ///   reconnect policy gives up. Cancellation ends it without an error.
    package func run() async throws {
        guard channel.start() else { throw AMQPError(.closed, "AMQPConsumer.run() was already called") }
        try await withGracefulShutdownHandler {
            try await consumeUntilStopped()
        } onGracefulShutdown: { [channel] in
            channel.requestStop()
        }
    }

    /// Starts the same orderly stop as a graceful shutdown of the service group.
    package func triggerGracefulShutdown() {
        channel.requestStop()
    }
}

/// The deliveries of an ``AMQPConsumer``, as an `AsyncSequence` that ends after shutdown.
package struct AMQPDeliveries: AsyncSequence, Sendable {
    package typealias Element = AMQPDelivery
    package typealias Failure = Never

    let stream: AsyncStream<AMQPDelivery>

    /// Iterates the deliveries.
    package struct AsyncIterator: AsyncIteratorProtocol {
        package typealias Element = AMQPDelivery
        package typealias Failure = Never

        var iterator: AsyncStream<AMQPDelivery>.Iterator

        /// The next delivery, or `nil` once the consumer stopped.
        package mutating func next() async -> AMQPDelivery? {
            await iterator.next()
        }
    }

    /// Makes the iterator; the sequence supports one.
    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(iterator: stream.makeAsyncIterator())
    }
}
