import AMQP
import Synchronization
import Testing

extension AMQPBrokerTests {
    /// Quorum queues dead-lettering to an exchange.
    @Suite("Dead-lettering")
    struct DeadLetter {
        /// A quorum queue dead-lettering to a fanout exchange bound to a dead-letter queue.
        static func topology(queue: String, dlx: String, dlq: String, deliveryLimit: Int? = nil) -> AMQPTopology {
            AMQPTopology(
                exchanges: [AMQPExchange(name: dlx, type: .fanout)],
                queues: [.quorum(queue, deadLetterExchange: dlx, deliveryLimit: deliveryLimit), .quorum(dlq)],
                bindings: [AMQPBinding(queue: dlq, exchange: dlx, routingKey: "")]
            )
        }

        @Test("A message nacked without requeue goes to the dead-letter queue")
        func nackWithoutRequeue() async throws {
            let (queue, dlx, dlq) = (uniqueName("queue"), uniqueName("dlx"), uniqueName("dlq"))
            let topology = Self.topology(queue: queue, dlx: dlx, dlq: dlq)
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "poison", body: "not json"))

            try await whileRunning(try consumer(queue, topology: topology)) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let delivery = try await iterator.require()
                #expect(delivery.messageId == "poison")
                try await delivery.nack(requeue: false)
            }
            try await whileRunning(try consumer(dlq)) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let dead = try await iterator.require()
                #expect(dead.messageId == "poison")
                #expect(dead.bodyString == "not json")
                #expect(dead.routingKey == queue)
                try await dead.ack()
            }
            #expect(try await publisher.messageCount(queue: queue) == 0)
            await publisher.close()
            await cleanUp(queues: [queue, dlq], exchanges: [dlx])
        }

        @Test("With x-delivery-limit 2, a message always nacked with requeue ends in the dead-letter queue")
        func deliveryLimit() async throws {
            let (queue, dlx, dlq) = (uniqueName("queue"), uniqueName("dlx"), uniqueName("dlq"))
            let topology = Self.topology(queue: queue, dlx: dlx, dlq: dlq, deliveryLimit: 2)
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "always-failing"))

            let deliveries = Recorder()
            let failing = try consumer(queue, topology: topology)
            try await whileRunning(failing) { failing in
                // A worker that fails every time, beside a watcher of the dead-letter queue.
                let worker = Task {
                    for await delivery in failing.deliveries {
                        deliveries.values.withLock { $0.append(delivery.deliveryCount) }
                        try await delivery.nack(requeue: true)
                    }
                }
                defer { worker.cancel() }
                try await whileRunning(try consumer(dlq)) { watcher in
                    var iterator = watcher.deliveries.makeAsyncIterator()
                    let dead = try await iterator.require()
                    #expect(dead.messageId == "always-failing")
                    try await dead.ack()
                }
            }
            // Delivered once and redelivered twice (counts 1 and 2), then over the limit.
            #expect(deliveries.values.withLock { $0 } == [nil, 1, 2])
            #expect(try await publisher.messageCount(queue: queue) == 0)
            await publisher.close()
            await cleanUp(queues: [queue, dlq], exchanges: [dlx])
        }
    }
}

/// The `x-delivery-count` of each delivery a failing worker saw.
private final class Recorder: Sendable {
    let values = Mutex<[Int?]>([])
}
