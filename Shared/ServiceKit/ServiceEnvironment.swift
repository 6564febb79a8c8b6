import Configuration
import Logging
import Metrics
import Prometheus

/// What every part of a service process is built from: its name, its
/// configuration, its logger and its metrics registry.
///
/// Configuration keys (environment variables in upper snake case):
/// - `log.level` (`LOG_LEVEL`, default `info`): trace, debug, info, notice, warning, error, critical.
/// - `log.format` (`LOG_FORMAT`, default `json`): `json` lines, or `text` for a terminal.
package struct ServiceEnvironment: Sendable {
    /// The service's name: `auth`, `gateway`, `media`, `social` or `notify`.
    package let name: String
    /// Settings from the environment, over the service's defaults.
    package let reader: ConfigReader
    /// The process's root logger, with `service` in its metadata.
    package let logger: Logger
    /// Every metric of the process; `/metrics` prints it.
    package let metrics: PrometheusCollectorRegistry

    package init(name: String, reader: ConfigReader, logger: Logger, metrics: PrometheusCollectorRegistry) {
        self.name = name
        self.reader = reader
        self.logger = logger
        self.metrics = metrics
    }

    /// Reads the environment and installs the process-wide log and metrics
    /// back-ends. Call once, at the start of a command.
    package static func bootstrap(service: String, defaults: [AbsoluteConfigKey: ConfigValue] = [:]) -> ServiceEnvironment {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            InMemoryProvider(values: defaults),
        ])
        let level = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        let json = reader.string(forKey: "log.format", default: "json").lowercased() != "text"
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, service: service, level: level) }
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Jobs take seconds to hours, far past the default buckets' 10 s.
        factory.durationHistogramBuckets["media_job_duration_seconds"] =
            [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200].map { Duration.seconds($0) }
        MetricsSystem.bootstrap(factory)
        var logger = Logger(label: "clipset.\(service)")
        logger[metadataKey: "service"] = .string(service)
        return ServiceEnvironment(name: service, reader: reader, logger: logger, metrics: registry)
    }
}
