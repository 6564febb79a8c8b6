import AMQP
import Contracts
import Foundation
import Logging
import Messaging
import ServiceLifecycle

/// Passes `media.job.progress` on to the streams of each video's uploader.
///
/// Progress is transient (media publishes it without the outbox) and a stream may be
/// open on any notify replica, so every process consumes its own exclusive, auto-delete
/// queue bound to the progress key, gone with the process; a message older than the
/// queue's TTL is dropped, as newer progress replaces it anyway.
struct LiveProgressRelay: Service {
    let hub: LiveHub
    let amqp: AMQPConfiguration
    let queue: String
    let logger: Logger

    init(hub: LiveHub, amqp: AMQPConfiguration, logger: Logger) {
        self.hub = hub
        var amqp = amqp
        amqp.reconnect = AMQPReconnectPolicy(maxAttempts: nil, maxDuration: nil)
        self.amqp = amqp
        self.queue = "notify.live.\(ProcessInfo.processInfo.hostName).\(getpid()).\(UInt32.random(in: 0 ... .max))"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled, !isShuttingDown {
            let consumer = AMQPConsumer(
                queue: queue, prefetch: 256,
                topology: EventTopology.listener(queue: queue, routingKeys: [JobProgress.eventType]),
                gracePeriod: .seconds(1), configuration: amqp, logger: logger)
            do {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await consumer.run() }
                    for await delivery in consumer.deliveries {
                        relay(delivery.body)
                        try? await delivery.ack()
                    }
                }
            } catch {
                logger.warning("live progress relay stopped", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    private var isShuttingDown: Bool { Task.isShuttingDownGracefully }

    private func relay(_ body: [UInt8]) {
        do {
            let envelope = try EventCoding.decoder().decode(EventEnvelope<JobProgress>.self, from: Data(body))
            hub.send(.message(try .progress(envelope.data)), to: envelope.data.uploadedBy)
        } catch {
            logger.debug("undecodable progress event dropped", metadata: ["error": "\(error)"])
        }
    }
}
