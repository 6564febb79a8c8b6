import Hummingbird
import Logging

/// One log line per request, after it is answered: method, path, status and
/// duration, with the request id the logger already carries.
package struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        // Probes hit these every few seconds; logging them would drown the rest.
        let level: Logger.Level = ["/health", "/ready", "/metrics"].contains(request.uri.path) ? .debug : .info
        context.logger.log(level: level, "request", metadata: [
            "http.method": "\(request.method)",
            "http.path": "\(request.uri.path)",
            "http.status": "\(response.status.code)",
            "http.duration_ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
        return response
    }
}
