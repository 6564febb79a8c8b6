import AMQP
import Testing

extension AMQPBrokerTests {
    /// Declarations, their errors, and the health check.
    @Suite("Topology and connection")
    struct Topology {
        @Test("Declaring a quorum queue topology twice succeeds; a conflicting declaration is refused")
        func declareTwice() async throws {
            let (exchange, queue, dlx) = (uniqueName("events"), uniqueName("queue"), uniqueName("dlx"))
            let topology = AMQPTopology(
                exchanges: [AMQPExchange(name: exchange, type: .topic), AMQPExchange(name: dlx, type: .fanout)],
                queues: [.quorum(queue, deadLetterExchange: dlx, deadLetterRoutingKey: "dead", deliveryLimit: 5)],
                bindings: [AMQPBinding(queue: queue, exchange: exchange, routingKey: "media.video.*")]
            )
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.declare(topology)
            try await publisher.declare(topology)

            // A classic queue under the same name conflicts with the quorum queue.
            await #expect {
                try await publisher.declare(AMQPTopology(queues: [AMQPQueue(name: queue)]))
            } throws: { error in
                let error = error as? AMQPError
                return error?.code == .preconditionFailed && error?.replyCode == 406 && error?.isRetriable == false
            }

            // The refusal closed the connection; the publisher opens a new one and routing works.
            let event = AMQPOutgoingMessage(exchange: exchange, routingKey: "media.video.processed", body: [1], messageId: "e1")
            try await publisher.publish(event)
            #expect(try await publisher.messageCount(queue: queue) == 1)

            await publisher.close()
            await cleanUp(queues: [queue], exchanges: [exchange, dlx])
        }

        @Test("A transient queue belongs to its connection: another cannot use it, and it goes with the connection")
        func transientQueue() async throws {
            let (exchange, queue) = (uniqueName("events"), uniqueName("live"))
            let topology = AMQPTopology(
                exchanges: [AMQPExchange(name: exchange, type: .topic)],
                queues: [.transient(queue, messageTTL: .seconds(30), maxLength: 2)],
                bindings: [AMQPBinding(queue: queue, exchange: exchange, routingKey: "media.job.progress")])
            let owner = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await owner.declare(topology)
            for id in 1...3 {
                try await owner.publish(AMQPOutgoingMessage(
                    exchange: exchange, routingKey: "media.job.progress", body: [UInt8(id)], messageId: "p\(id)"))
            }
            #expect(try await owner.messageCount(queue: queue) == 2, "x-max-length drops the oldest")

            let other = AMQPPublisher(configuration: try configuration(), logger: logger)
            await #expect {
                try await other.declare(AMQPTopology(queues: [.transient(queue, messageTTL: .seconds(30), maxLength: 2)]))
            } throws: { error in
                (error as? AMQPError)?.code == .resourceLocked
            }

            await owner.close()
            // Gone with its connection: the other connection may now declare it as its own.
            try await other.declare(AMQPTopology(queues: [.transient(queue, messageTTL: .seconds(30), maxLength: 2)]))
            #expect(try await other.messageCount(queue: queue) == 0)
            await other.close()
            await cleanUp(exchanges: [exchange])
        }

        @Test("Publishing to an exchange that does not exist fails with notFound, not retriable")
        func publishToMissingExchange() async throws {
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            let message = AMQPOutgoingMessage(exchange: uniqueName("missing"), routingKey: "x", body: [1])
            await #expect {
                try await publisher.publish(message)
            } throws: { error in
                let error = error as? AMQPError
                return error?.code == .notFound && error?.isRetriable == false
            }
            try await publisher.healthCheck()
            await publisher.close()
        }

        @Test("The health check reports a reachable broker, a closed port, and a wrong password")
        func healthCheck() async throws {
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.healthCheck()
            await publisher.close()

            var closedPort = try configuration()
            closedPort.port = 1
            let unreachable = AMQPPublisher(configuration: closedPort, logger: logger)
            await #expect {
                try await unreachable.healthCheck()
            } throws: { error in
                let error = error as? AMQPError
                return error?.code == .connectionFailed && error?.isRetriable == true
            }
            await unreachable.close()

            var wrongPassword = try configuration()
            wrongPassword.password = "not-the-password"
            let refused = AMQPPublisher(configuration: wrongPassword, logger: logger)
            await #expect {
                try await refused.healthCheck()
            } throws: { error in
                (error as? AMQPError)?.isRetriable == false
            }
            await refused.close()
        }

        @Test("A closed publisher refuses further work")
        func closedPublisher() async throws {
            let publisher = AMQPPublisher(configuration: try configuration(), logger: logger)
            try await publisher.healthCheck()
            await publisher.close()
            await #expect {
                try await publisher.healthCheck()
            } throws: { error in
                (error as? AMQPError)?.code == .closed
            }
        }
    }
}
