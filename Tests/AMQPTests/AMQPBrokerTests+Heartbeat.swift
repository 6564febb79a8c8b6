import AMQP
import Testing

extension AMQPBrokerTests {
    /// Heartbeats, with a 1 s interval so that idling a few seconds matters.
    @Suite("Heartbeats")
    struct Heartbeats {
        @Test("An idle consumer keeps its connection; an idle publisher's next publish still succeeds")
        func idleConnections() async throws {
            var configuration = try configuration()
            configuration.heartbeat = 1
            let queue = uniqueName("queue")
            let topology = AMQPTopology(queues: [.quorum(queue)])
            let publisher = AMQPPublisher(configuration: configuration, logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "first"))

            let consumer = AMQPConsumer(queue: queue, topology: topology, configuration: configuration, logger: logger)
            try await whileRunning(consumer) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let first = try await iterator.require()
                // Idle for three heartbeat intervals: the broker drops connections that miss two.
                try await Task.sleep(for: .milliseconds(3500))
                // Still the same connection, or this ack would throw deliveryExpired.
                try await first.ack()

                // The publisher did not call into rabbitmq-c meanwhile; if the broker
                // dropped it, the publish reconnects and sends again transparently.
                try await publisher.publish(message(to: queue, id: "second"))
                let second = try await iterator.require()
                #expect(second.messageId == "second")
                #expect(!second.redelivered)
                try await second.ack()
            }
            await publisher.close()
            await cleanUp(queues: [queue])
        }
    }
}
