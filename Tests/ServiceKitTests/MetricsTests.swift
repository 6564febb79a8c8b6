import Configuration
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Testing

@testable import ServiceKit

/// `/metrics` prints the registry; the request middleware records by route template.
@Suite struct MetricsTests {
    @Test func metricsEndpointPrintsRequestCountsByRouteTemplate() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let environment = ServiceEnvironment(
            name: "test", reader: ConfigReader(provider: InMemoryProvider(values: [:])), logger: Logger(label: "test"), metrics: registry)
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(MetricsFactoryMiddleware(factory: factory))
        router.get("/items/{id}") { _, _ in "item" }
        MetricsController(registry: environment.metrics).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            for id in 1...3 { _ = try await client.execute(uri: "/items/\(id)", method: .get) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_requests_total{method="GET",route="/items/{id}",status="200"} 3"#))
                #expect(text.contains("http_request_duration_seconds_bucket"))
                #expect(!text.contains("/items/1"))
            }
        }
    }
}

/// A request that no route answered is labelled by `unmatchedRoute`, else `unmatched`.
@Suite struct UnmatchedRouteLabelTests {
    @Test(arguments: [(nil, "unmatched"), ("/proxied/*", "/proxied/*")] as [(String?, String)])
    func aRequestNoRouteAnsweredGetsTheGivenLabel(given: String?, label: String) async throws {
        let registry = PrometheusCollectorRegistry()
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(MetricsFactoryMiddleware(factory: PrometheusMetricsFactory(registry: registry)) { request in
            request.uri.path.hasPrefix("/proxied/") ? given : nil
        })
        router.middlewares.add(AnswerWithoutRoute())
        try await Application(router: router).test(.router) { client in
            _ = try await client.execute(uri: "/proxied/42", method: .get)
        }
        var buffer = [UInt8]()
        registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains(#"http_requests_total{method="GET",route="\#(label)",status="200"} 1"#), "\(text)")
        #expect(!text.contains("/proxied/42"))
    }
}

/// Answers every request itself, as the gateway's proxy does, so no route matches.
struct AnswerWithoutRoute: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        Response(status: .ok)
    }
}

/// Runs ``HTTPMetricsMiddleware`` against a private factory, so the test does
/// not depend on the process-wide `MetricsSystem`, which can be bootstrapped once.
struct MetricsFactoryMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: PrometheusMetricsFactory
    var unmatchedRoute: @Sendable (Request) -> String? = { _ in nil }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let dimensions = HTTPMetricsMiddleware<Context>(unmatchedRoute: unmatchedRoute)
            .dimensions(request: request, context: context, response: response)
        Counter(label: "http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, factory: factory).recordInterval(since: start)
        return response
    }
}
