import Foundation
import Hummingbird
import Logging

/// Looks at every request's `Authorization: Bearer` token and records the
/// outcome in the context; protected routes turn a missing or refused token
/// into their error when their context is created. Public routes ignore it.
///
/// Requests for which `acceptsQueryToken` is true (media's streaming routes, for `<video>`
/// elements and hls.js) may carry the token as `?token=` instead; the header wins.
package struct AuthenticationMiddleware: RouterMiddleware {
    package typealias Context = ClipsetRequestContext

    let verifier: TokenVerifier
    let deactivated: DeactivatedUsers
    let acceptsQueryToken: @Sendable (Request) -> Bool

    package init(
        verifier: TokenVerifier, deactivated: DeactivatedUsers,
        acceptsQueryToken: @escaping @Sendable (Request) -> Bool = { _ in false }
    ) {
        self.verifier = verifier
        self.deactivated = deactivated
        self.acceptsQueryToken = acceptsQueryToken
    }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = Self.bearerToken(request) {
            context.authentication = await authenticate(token, logger: context.logger)
        } else if acceptsQueryToken(request), let token = request.uri.queryParameters["token"], !token.isEmpty {
            context.authentication = await authenticate(String(token), logger: context.logger)
        }
        return try await next(request, context)
    }

    /// The outcome for one token.
    package func authenticate(_ token: String, logger: Logger) async -> Authentication {
        do {
            let identity = try await verifier.verify(token)
            if deactivated.contains(identity.userID) { return .rejected(.inactive) }
            return .authenticated(identity)
        } catch .keysUnavailable(let reason) {
            logger.error("cannot verify tokens", metadata: ["error": "\(reason)"])
            return .rejected(.keysUnavailable)
        } catch {
            logger.debug("token refused", metadata: ["reason": "\(error)"])
            return .rejected(.invalid)
        }
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop(while: { $0 == " " || $0 == "\t" })
        let trimmed = String(token.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        return trimmed.isEmpty ? nil : trimmed
    }
}
