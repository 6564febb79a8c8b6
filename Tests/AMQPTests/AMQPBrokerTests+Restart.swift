import AMQP
import TestSupport
import Testing

extension AMQPBrokerTests {
    /// Recovery after the broker goes away. Each test restarts RabbitMQ once (5-25 s on 2 busy cores).
    @Suite("Broker restart (restarts RabbitMQ)", .serialized, .tags(.brokerRestart))
    struct BrokerRestartTests {
        @Test("The publisher publishes again after a broker restart")
        func publisherSurvivesRestart() async throws {
            let queue = uniqueName("durable")
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(AMQPTopology(queues: [.quorum(queue)]))
            try await publisher.publish(message(to: queue, id: "before"))

            try await InfrastructureControl.restart(.rabbitmq)

            try await publisher.publish(message(to: queue, id: "after"))
            // Both persistent messages survived in the durable quorum queue.
            #expect(try await publisher.messageCount(queue: queue) == 2)
            try await publisher.healthCheck()
            await publisher.close()
            await cleanUp(queues: [queue])
        }

        @Test("The consumer reconnects after a broker restart and receives what is published then")
        func consumerResumesAfterRestart() async throws {
            let queue = uniqueName("durable")
            let topology = AMQPTopology(queues: [.quorum(queue)])
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "held"))

            try await whileRunning(try consumer(queue, topology: topology), timeout: .seconds(40)) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let held = try await iterator.require()
                #expect(held.messageId == "held")

                try await InfrastructureControl.restart(.rabbitmq)

                // Its connection is gone: the ack fails gracefully and the broker keeps the message.
                await #expect {
                    try await held.ack()
                } throws: { error in
                    (error as? AMQPError)?.code == .deliveryExpired
                }
                try await publisher.publish(message(to: queue, id: "after"))

                var seen: Set<String> = []
                while seen != ["held", "after"] {
                    let delivery = try await iterator.require()
                    seen.insert(try #require(delivery.messageId))
                    if delivery.messageId == "held" { #expect(delivery.redelivered) }
                    try await delivery.ack()
                }
            }
            #expect(try await publisher.messageCount(queue: queue) == 0)
            await publisher.close()
            await cleanUp(queues: [queue])
        }
    }
}
