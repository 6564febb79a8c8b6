import Configuration

/// How the live stream behaves.
///
/// Configuration keys:
/// - `live.heartbeat.seconds` (`LIVE_HEARTBEAT_SECONDS`, default 15): how often an idle
///   stream writes a keep-alive comment (below every proxy's read timeout).
/// - `live.retry.ms` (`LIVE_RETRY_MS`, default 3000): the reconnect delay the stream tells clients.
/// - `live.retention.hours` (`LIVE_RETENTION_HOURS`, default 24): how long status events
///   stay for `Last-Event-ID` replay.
struct LiveSettings: Sendable {
    var heartbeat: Duration
    var retry: Duration
    var retention: Duration

    init(reader: ConfigReader) {
        heartbeat = .seconds(max(1, reader.int(forKey: "live.heartbeat.seconds", default: 15)))
        retry = .milliseconds(max(0, reader.int(forKey: "live.retry.ms", default: 3000)))
        retention = .seconds(3600 * max(1, reader.int(forKey: "live.retention.hours", default: 24)))
    }
}
