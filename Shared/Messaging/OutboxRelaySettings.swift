import Configuration

/// How the outbox relay paces itself.
///
/// Configuration keys:
/// - `outbox.batch.size` (`OUTBOX_BATCH_SIZE`, default 200): rows published per confirm round.
/// - `outbox.poll.ms` (`OUTBOX_POLL_MS`, default 200): how often an idle relay looks for rows
///   written by other replicas (its own writes wake it at once).
/// - `outbox.retention.seconds` (`OUTBOX_RETENTION_SECONDS`, default 3600): how long published rows stay.
package struct OutboxRelaySettings: Sendable {
    package var batchSize: Int = 200
    package var pollInterval: Duration = .milliseconds(200)
    package var retention: Duration = .seconds(3600)
    package var purgeInterval: Duration = .seconds(60)
    package var minimumBackoff: Duration = .milliseconds(100)
    package var maximumBackoff: Duration = .seconds(5)

    package init() {}

    package init(reader: ConfigReader) {
        batchSize = max(1, reader.int(forKey: "outbox.batch.size", default: 200))
        pollInterval = .milliseconds(max(10, reader.int(forKey: "outbox.poll.ms", default: 200)))
        retention = .seconds(max(0, reader.int(forKey: "outbox.retention.seconds", default: 3600)))
    }
}
