import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a handler throws into a JSON response of the Clipset shape.
///
/// An ``APIError`` answers as it is; Hummingbird's own `HTTPError` (an unknown
/// route, a body that is too large) keeps its status with its message as
/// `detail`; a ``DependencyFailure`` that means a dependency is down is a 503
/// with `Retry-After`; anything else is logged and answered with a plain 500, so no
/// request ever sees an HTML or empty error body, nor a stack trace.
package struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? error.status.reasonPhrase
            return try APIError(error.status, message, headers: error.headers).response(from: request, context: context)
        } catch let error as any DependencyFailure where error.isUnavailable {
            context.logger.error("dependency unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return try APIError.unavailable("Service temporarily unavailable").response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            // Errors from other libraries that know their status keep it, with our body shape.
            return try APIError(error.status, error.status.reasonPhrase).response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return try APIError(.internalServerError, "Internal Server Error").response(from: request, context: context)
        }
    }
}
