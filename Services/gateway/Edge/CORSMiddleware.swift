import HTTPTypes
import Hummingbird
import NIOCore

/// CORS for the origins of `CORS_ORIGINS` (`*` for any): preflights are
/// answered here (204), other responses carry the allow headers; an origin not
/// on the list gets no CORS headers, so the browser blocks it.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>

    static var exposed: String {
        "X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Content-Range, "
            + "Accept-Ranges, Content-Length, Location, Upload-Offset, Upload-Length, Upload-Expires, Tus-Resumable, "
            + "Tus-Version, Tus-Extension, Tus-Max-Size"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], !origins.isEmpty else { return try await next(request, context) }
        let allowed = origins.contains("*") || origins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if allowed {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowCredentials] = "true"
                headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
                headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Authorization, Content-Type"
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.vary] = "Origin"
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = Self.exposed
        }
        return response
    }
}
