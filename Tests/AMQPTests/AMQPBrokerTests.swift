import AMQP
import Foundation
import Logging
import TestSupport
import Testing

extension Tag {
    /// Tests that stop and start the test RabbitMQ broker.
    @Tag static var brokerRestart: Self
}

/// Everything that talks to the real broker, run one test at a time: the
/// restart tests take the broker away, which would break tests running beside them.
@Suite("AMQP against the real broker", .serialized)
struct AMQPBrokerTests {
    /// The test broker's configuration, with limits that suit tests.
    static func configuration() throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: TestEnvironment.amqpURL)
        configuration.operationTimeout = .seconds(10)
        configuration.reconnect = AMQPReconnectPolicy(maxDuration: .seconds(30))
        return configuration
    }

    /// A logger that shows warnings (connection losses) and worse.
    static var logger: Logger {
        var logger = Logger(label: "clipset.amqp.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A name no other test or run uses.
    static func uniqueName(_ prefix: String) -> String {
        "test.amqp.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A consumer of `queue` with the test configuration.
    static func consumer(
        _ queue: String, prefetch: UInt16 = 10, topology: AMQPTopology = AMQPTopology(),
        gracePeriod: Duration = .seconds(2)
    ) throws -> AMQPConsumer {
        AMQPConsumer(
            queue: queue, prefetch: prefetch, topology: topology, gracePeriod: gracePeriod,
            configuration: try configuration(), logger: logger
        )
    }

    /// Runs `consumer` while `body` runs, then shuts it down gracefully and waits for it.
    ///
    /// A watchdog shuts the consumer down after `timeout`, which ends its
    /// deliveries, so a test waiting for a message that never comes fails instead of hanging.
    static func whileRunning<Result: Sendable>(
        _ consumer: AMQPConsumer,
        timeout: Duration = .seconds(20),
        _ body: (AMQPConsumer) async throws -> Result
    ) async throws -> Result {
        let run = Task { try await consumer.run() }
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            consumer.triggerGracefulShutdown()
        }
        defer { watchdog.cancel() }
        do {
            let result = try await body(consumer)
            consumer.triggerGracefulShutdown()
            try await run.value
            return result
        } catch {
            consumer.triggerGracefulShutdown()
            _ = try? await run.value
            throw error
        }
    }

    /// Deletes queues and exchanges a test made; errors are ignored.
    static func cleanUp(queues: [String] = [], exchanges: [String] = []) async {
        guard let configuration = try? configuration() else { return }
        let publisher = AMQPPublisher(configuration: configuration, logger: logger)
        for queue in queues { _ = try? await publisher.deleteQueue(queue) }
        for exchange in exchanges { try? await publisher.deleteExchange(exchange) }
        await publisher.close()
    }

    /// A JSON-ish message for `queue` through the default exchange.
    static func message(to queue: String, id: String, body: String? = nil) -> AMQPOutgoingMessage {
        AMQPOutgoingMessage(
            exchange: "", routingKey: queue, body: Array((body ?? #"{"id":"\#(id)"}"#).utf8), messageId: id
        )
    }
}

extension AMQPDeliveries.AsyncIterator {
    /// The next delivery, or a recorded failure when the consumer stopped first.
    mutating func require(sourceLocation: SourceLocation = #_sourceLocation) async throws -> AMQPDelivery {
        try #require(await next(), "the consumer stopped before a delivery arrived", sourceLocation: sourceLocation)
    }
}
