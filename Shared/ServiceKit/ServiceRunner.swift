import Configuration
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Where a service's HTTP server listens.
///
/// Configuration keys:
/// - `http.host` (`HTTP_HOST`, default `127.0.0.1`): the address to bind.
/// - `http.port` (`HTTP_PORT`, default: the service's own port, 8080-8084).
package struct HTTPServerSettings: Sendable {
    package var host: String
    package var port: Int

    package init(reader: ConfigReader, defaultPort: Int) {
        host = reader.string(forKey: "http.host", default: "127.0.0.1")
        port = reader.int(forKey: "http.port", default: defaultPort)
    }
}

extension ServiceEnvironment {
    /// A router with what every Clipset service answers: request ids, request
    /// metrics, JSON errors, `/health`, `/ready` and `/metrics`.
    package func makeRouter<Context: RequestContext>(
        context: Context.Type = Context.self, readiness: [ReadinessCheck]
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        addStandardMiddleware(to: router)
        addOperationalRoutes(to: router, readiness: readiness)
        return router
    }

    /// Request ids, request metrics, access logs and JSON errors. Hummingbird
    /// wraps a route in the middleware present when the route is added: call this
    /// before adding any route. `unmatchedRoute` labels the metrics of requests no route
    /// answers (see ``HTTPMetricsMiddleware``).
    package func addStandardMiddleware<Context: RequestContext>(
        to router: Router<Context>, unmatchedRoute: @escaping @Sendable (Request) -> String? = { _ in nil }
    ) {
        router.middlewares.add(RequestIDMiddleware())
        router.middlewares.add(HTTPMetricsMiddleware(unmatchedRoute: unmatchedRoute))
        router.middlewares.add(AccessLogMiddleware())
        router.middlewares.add(ErrorMiddleware())
    }

    /// `/health`, `/ready` and `/metrics`.
    package func addOperationalRoutes<Context: RequestContext>(to router: Router<Context>, readiness: [ReadinessCheck]) {
        HealthController(checks: readiness).addRoutes(to: router)
        MetricsController(registry: metrics).addRoutes(to: router)
    }

    /// Runs the HTTP server and the service's long-lived parts until SIGTERM or
    /// SIGINT, then shuts down in reverse order: the server stops taking requests
    /// and finishes those in flight, consumers finish their messages, clients close.
    ///
    /// - Parameter services: clients and workers in dependency order (a database
    ///   client before what uses it); they are stopped last to first.
    package func run<Context: RequestContext>(
        router: Router<Context>, defaultPort: Int, services: [any Service]
    ) async throws where Context.Source == ApplicationRequestContextSource {
        let http = HTTPServerSettings(reader: reader, defaultPort: defaultPort)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "clipset-\(name)"),
            services: services,
            logger: logger
        )
        logger.info("starting", metadata: ["http.host": "\(http.host)", "http.port": "\(http.port)"])
        try await app.runService(gracefulShutdownSignals: [UnixSignal.sigterm, UnixSignal.sigint])
        logger.info("shut down gracefully")
    }
}
