import Hummingbird
import Metrics

/// Counts requests and times them, labelled by method, route and status.
///
/// The route is the matched route template (`/api/videos/{id}`), never the raw
/// path, so an id in the URL cannot grow the number of series; a request that
/// matched no route gets the label `unmatchedRoute` gives it (the gateway names what it
/// proxies), else `unmatched`. Exposed as `http_requests_total`
/// and `http_request_duration_seconds` by the Prometheus factory.
package struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A bounded label for a request that no route answered, or nil for `unmatched`.
    let unmatchedRoute: @Sendable (Request) -> String?

    package init(unmatchedRoute: @escaping @Sendable (Request) -> String? = { _ in nil }) {
        self.unmatchedRoute = unmatchedRoute
    }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let dimensions = dimensions(request: request, context: context, response: response)
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Timer(label: "http_request_duration_seconds", dimensions: dimensions)
            .recordInterval(since: start)
        return response
    }

    /// The labels of one request: method, route template and status code.
    func dimensions(request: Request, context: Context, response: Response) -> [(String, String)] {
        [
            ("method", request.method.rawValue),
            ("route", context.endpointPath ?? unmatchedRoute(request) ?? "unmatched"),
            ("status", String(response.status.code)),
        ]
    }
}

extension Timer {
    /// Records the time elapsed since `start` on the continuous clock.
    package func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
