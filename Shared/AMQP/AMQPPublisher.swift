import Logging

/// Publishes messages with publisher confirms, on a connection of its own.
///
/// Safe to share between tasks: batches run one after the other on the
/// connection's thread. ``publish(_:)-([AMQPOutgoingMessage])`` returns only once
/// the broker has confirmed every message of the batch, so the caller (the
/// outbox relay) may mark them sent. The connection opens on first use and,
/// once lost, opens again on the next call with the back-off of
/// ``AMQPConfiguration/reconnect``; only confirm mode is restored, topology is
/// declared by whoever needs it. Call ``close()`` when done.
package final class AMQPPublisher: Sendable {
    private let connection: AMQPConnection
    private let configuration: AMQPConfiguration
    private let logger: Logger

    /// Creates a publisher; nothing is connected until the first call.
    package init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.connection = AMQPConnection(configuration: configuration, logger: logger)
    }

    /// Publishes a batch and waits for the broker to confirm all of it.
    ///
    /// A connection found dead before anything was confirmed (a broker restart
    /// while idle, missed heartbeats) is reopened and the batch sent once more.
    /// Otherwise a failure throws and the caller retries the whole batch:
    /// duplicates are possible, consumers deduplicate by message id.
    ///
    /// - Throws: ``AMQPError``: `nacked`, a connection error (retriable), or the
    ///   broker's refusal (`notFound` for a missing exchange, not retriable).
    package func publish(_ messages: [AMQPOutgoingMessage]) async throws {
        guard !messages.isEmpty else { return }
        for attempt in 1...2 {
            try await connect()
            let outcome = try await connection.perform { try $0.publishConfirmed(messages) }
            switch outcome {
            case .confirmed:
                logger.debug("AMQP batch confirmed", metadata: ["amqp.messages": "\(messages.count)"])
                return
            case .lostBeforeConfirm(let error):
                guard error.isRetriable, attempt == 1 else { throw error }
                logger.warning(
                    "AMQP publisher connection lost, publishing again", metadata: ["amqp.error": "\(error)"]
                )
            }
        }
    }

    /// Publishes one message and waits for the broker to confirm it.
    package func publish(_ message: AMQPOutgoingMessage) async throws {
        try await publish([message])
    }

    /// Declares exchanges, queues and bindings (idempotent).
    package func declare(_ topology: AMQPTopology) async throws {
        try await connect()
        try await connection.perform { try $0.declare(topology) }
    }

    /// Deletes a queue and its messages; returns how many messages it held.
    @discardableResult
    package func deleteQueue(_ name: String) async throws -> Int {
        try await connect()
        return Int(try await connection.perform { try $0.deleteQueue(name) })
    }

    /// Deletes an exchange.
    package func deleteExchange(_ name: String) async throws {
        try await connect()
        try await connection.perform { try $0.deleteExchange(name) }
    }

    /// How many messages are ready for delivery in a queue.
    package func messageCount(queue: String) async throws -> Int {
        try await connect()
        return Int(try await connection.perform { try $0.messageCount(queue) })
    }

    /// Checks that the broker is reachable, for a readiness probe.
    ///
    /// Reads what the broker sent (so a closed socket is noticed) and, when the
    /// connection is closed, tries once to open it, without back-off.
    /// - Throws: the ``AMQPError`` that makes the broker unavailable.
    package func healthCheck() async throws {
        try await connection.perform { handle in
            if let state = handle.state, let error = handle.discardPendingFrames(state) {
                handle.logger.warning("AMQP publisher connection lost", metadata: ["amqp.error": "\(error)"])
            }
            try handle.open(confirmMode: true)
        }
    }

    /// Closes the connection and stops its thread; later calls throw ``AMQPError/Code/closed``.
    package func close() async {
        await connection.shutdown()
    }

    /// Opens the connection if it is closed, retrying with back-off.
    private func connect() async throws {
        try await AMQPReconnector(policy: configuration.reconnect, logger: logger).run {
            try await self.connection.perform { try $0.open(confirmMode: true) }
        }
    }
}
