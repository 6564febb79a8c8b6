import HTTPTypes
import Hummingbird
import ServiceKit

/// Hummingbird's file middleware plus the UI's security headers on every UI response
/// (files, the `index.html` fallback and their 304s and 404s); API responses pass untouched.
struct WebUIMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: FileMiddleware<Context, LocalFileSystem>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard WebUI.isUIPath(request.uri.path) else {
            return try await files.handle(request, context: context, next: next)
        }
        do {
            var response = try await files.handle(request, context: context, next: next)
            Self.addSecurityHeaders(to: &response.headers)
            Self.addCharset(to: &response.headers)
            return response
        } catch let error as APIError {
            var headers = HTTPFields()
            Self.addSecurityHeaders(to: &headers)
            throw error.adding(headers: headers)
        }
    }

    /// `; charset=utf-8` on the UI's text files, so no client has to guess (the fallback route sets it itself).
    static func addCharset(to headers: inout HTTPFields) {
        if let type = headers[.contentType], WebUI.utf8Types.contains(type) {
            headers[.contentType] = type + "; charset=utf-8"
        }
    }

    /// The CSP and nosniff, unless a route set its own policy.
    static func addSecurityHeaders(to headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] = WebUI.contentSecurityPolicy
        }
        headers[.xContentTypeOptions] = "nosniff"
    }
}
