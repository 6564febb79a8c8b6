import AMQP
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Publishes committed outbox rows to RabbitMQ, in order, with publisher confirms.
///
/// Each round locks a batch of unpublished rows (`FOR UPDATE SKIP LOCKED`, so
/// several replicas share the work without publishing a row twice at once),
/// publishes them, waits for the broker to confirm every one, and marks them
/// published in the same transaction. If the broker is down the transaction
/// rolls back and the rows wait; a crash after the broker confirmed but before
/// the commit publishes them again, which the consumers' inbox absorbs.
package final class OutboxRelay: Service {
    private let client: PostgresClient
    private let publisher: AMQPPublisher
    private let settings: OutboxRelaySettings
    private let schema: String
    private let logger: Logger
    private let wakeup = Wakeup()
    private let published: Counter
    private let failures: Counter
    private let pending: Gauge

    package init(client: PostgresClient, publisher: AMQPPublisher, schema: String, settings: OutboxRelaySettings, logger: Logger) {
        self.client = client
        self.publisher = publisher
        self.schema = schema
        self.settings = settings
        self.logger = logger
        published = Counter(label: "outbox_published_total")
        failures = Counter(label: "outbox_publish_failures_total")
        pending = Gauge(label: "outbox_pending")
    }

    /// Tells the relay that a transaction with events has committed, so it
    /// publishes now instead of at its next poll.
    package func wake() {
        wakeup.signal()
    }

    package func run() async throws {
        try await publisher.declare(EventTopology.exchanges)
        // Graceful shutdown ends the loop between rounds; a round in flight finishes first
        // only if it is quick, since cancellation also interrupts its waits.
        await cancelWhenGracefulShutdown { await self.relayUntilCancelled() }
    }

    private func relayUntilCancelled() async {
        var backoff = settings.minimumBackoff
        var lastPurge = ContinuousClock.now
        var lastCount = ContinuousClock.now - .seconds(60)
        while !Task.isCancelled {
            do {
                let count = try await relayBatch()
                backoff = settings.minimumBackoff
                if ContinuousClock.now - lastPurge > settings.purgeInterval {
                    try await purgePublished()
                    lastPurge = .now
                }
                if ContinuousClock.now - lastCount > .seconds(5) {
                    pending.record(try await countPending())
                    lastCount = .now
                }
                // A full batch means more may be waiting: go on at once.
                if count < settings.batchSize { await wakeup.wait(timeout: settings.pollInterval) }
            } catch {
                if Task.isCancelled { return }
                failures.increment()
                logger.warning("outbox relay round failed", metadata: ["error": "\(error)", "retry.in": "\(backoff)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.maximumBackoff)
            }
        }
    }

    /// Publishes one batch; returns how many rows it published.
    func relayBatch() async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT seq, id, routing_key, body FROM \(unescaped: schema).outbox
                WHERE published_at IS NULL ORDER BY seq LIMIT \(settings.batchSize)
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var sequence: [Int64] = []
            var messages: [AMQPOutgoingMessage] = []
            for try await (seq, id, routingKey, body) in rows.decode((Int64, UUID, String, String).self) {
                sequence.append(seq)
                messages.append(AMQPOutgoingMessage(
                    exchange: EventTopology.eventsExchange, routingKey: routingKey,
                    body: Array(body.utf8), messageId: id.uuidString.lowercased()
                ))
            }
            guard !messages.isEmpty else { return 0 }
            try await publisher.publish(messages)
            try await connection.query("""
                UPDATE \(unescaped: schema).outbox SET published_at = clock_timestamp(), attempts = attempts + 1
                WHERE seq = ANY(\(sequence))
                """, logger: logger)
            published.increment(by: messages.count)
            return messages.count
        }
    }

    /// Published rows are kept a while for inspection, then deleted.
    private func purgePublished() async throws {
        try await client.query("""
            DELETE FROM \(unescaped: schema).outbox
            WHERE published_at < clock_timestamp() - make_interval(secs => \(settings.retention.components.seconds))
            """, logger: logger)
    }

    /// Rows waiting to be published, for the `outbox_pending` gauge.
    private func countPending() async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM \(unescaped: schema).outbox WHERE published_at IS NULL", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
