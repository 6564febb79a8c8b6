import AMQP
import Testing

extension AMQPBrokerTests {
    /// Publishing with confirms and consuming with manual acknowledgements.
    @Suite("Publishing and consuming")
    struct Delivery {
        @Test("100 messages published with confirms from several tasks are all consumed, intact")
        func hundredMessages() async throws {
            let (exchange, queue) = (uniqueName("events"), uniqueName("queue"))
            let topology = AMQPTopology(
                exchanges: [AMQPExchange(name: exchange, type: .topic)],
                queues: [.quorum(queue)],
                bindings: [AMQPBinding(queue: queue, exchange: exchange, routingKey: "test.#")]
            )
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<4 {
                    group.addTask {
                        let messages = (0..<25).map { index in
                            let number = batch * 25 + index
                            return AMQPOutgoingMessage(
                                exchange: exchange, routingKey: "test.item.\(number)",
                                body: Array(#"{"n":\#(number)}"#.utf8), messageId: "message-\(number)",
                                headers: ["producer": "amqp-tests"]
                            )
                        }
                        try await publisher.publish(messages)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await publisher.messageCount(queue: queue) == 100)

            let consumer = try consumer(queue, prefetch: 10, topology: topology)
            let received = try await whileRunning(consumer) { consumer in
                var received: [String: String] = [:]
                var iterator = consumer.deliveries.makeAsyncIterator()
                while received.count < 100 {
                    let delivery = try await iterator.require()
                    let id = try #require(delivery.messageId)
                    #expect(delivery.routingKey == "test.item.\(id.dropFirst("message-".count))")
                    #expect(delivery.exchange == exchange)
                    #expect(delivery.contentType == "application/json")
                    #expect(delivery.headers["producer"] == "amqp-tests")
                    #expect(!delivery.redelivered)
                    received[id] = delivery.bodyString
                    try await delivery.ack()
                }
                return received
            }
            #expect(received.count == 100)
            for number in 0..<100 {
                #expect(received["message-\(number)"] == #"{"n":\#(number)}"#)
            }
            #expect(try await publisher.messageCount(queue: queue) == 0)
            await publisher.close()
            await cleanUp(queues: [queue], exchanges: [exchange])
        }

        @Test("nack(requeue: true) redelivers the message, marked redelivered, with x-delivery-count")
        func nackRequeue() async throws {
            let queue = uniqueName("queue")
            let topology = AMQPTopology(queues: [.quorum(queue)])
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "again"))

            try await whileRunning(try consumer(queue, topology: topology)) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let first = try await iterator.require()
                #expect(first.messageId == "again")
                #expect(!first.redelivered)
                #expect(first.deliveryCount == nil)
                try await first.nack(requeue: true)
                await #expect {
                    try await first.ack()
                } throws: { error in
                    (error as? AMQPError)?.code == .alreadySettled
                }

                let second = try await iterator.require()
                #expect(second.messageId == "again")
                #expect(second.redelivered)
                #expect(second.deliveryCount == 1)
                #expect(second.body == first.body)
                try await second.ack()
            }
            await publisher.close()
            await cleanUp(queues: [queue])
        }

        @Test("A message left unacknowledged by a consumer that stopped goes to the next consumer")
        func unackedGoesToNextConsumer() async throws {
            let queue = uniqueName("queue")
            let topology = AMQPTopology(queues: [.quorum(queue)])
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.publish(message(to: queue, id: "unacked"))

            let first = try consumer(queue, topology: topology, gracePeriod: .milliseconds(200))
            let abandoned = try await whileRunning(first) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                return try await iterator.require()
            }
            // The consumer is closed: the late ack fails gracefully, as retriable.
            await #expect {
                try await abandoned.ack()
            } throws: { error in
                let error = error as? AMQPError
                return error?.code == .deliveryExpired && error?.isRetriable == true
            }
            var ended = first.deliveries.makeAsyncIterator()
            #expect(await ended.next() == nil)

            try await whileRunning(try consumer(queue, topology: topology)) { consumer in
                var iterator = consumer.deliveries.makeAsyncIterator()
                let again = try await iterator.require()
                #expect(again.messageId == "unacked")
                #expect(again.redelivered)
                try await again.ack()
            }
            #expect(try await publisher.messageCount(queue: queue) == 0)
            await publisher.close()
            await cleanUp(queues: [queue])
        }
    }
}
