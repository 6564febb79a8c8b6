import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import ServiceKit

/// What happens at the edge before a request reaches a service: the route is
/// looked up, a protected route's token verified (the services verify it again),
/// the caller rate-limited, and the request proxied. Paths no service serves
/// fall through to the gateway's own routes (health, OpenAPI, the UI).
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = ClipsetRequestContext

    let proxy: UpstreamProxy
    let limiter: RateLimiter
    let authentication: AuthenticationMiddleware
    let settings: GatewaySettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // A dot segment could make a service see another path than the one judged here.
        if path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) { throw APIError(.notFound, "Not Found") }
        let destination = RouteTable.destination(method: request.method, path: path)
        guard destination != nil || path.hasPrefix("/api/") || path == "/api" else { return try await next(request, context) }
        var context = context
        if let destination, destination.access == .headerOrQueryToken, case .anonymous = context.authentication,
           let token = request.uri.queryParameters["token"], !token.isEmpty {
            context.authentication = await authentication.authenticate(String(token), logger: context.logger)
        }
        // Limited before the token check, so guessing tokens is limited too.
        let decision = await limit(request, context: context)
        guard decision.allowed else {
            throw APIError(
                .tooManyRequests, "Rate limit exceeded. Try again in \(decision.retryAfterSeconds) seconds.",
                headers: Self.headers(decision).merged([.retryAfter: String(decision.retryAfterSeconds)]))
        }
        do {
            if let destination, destination.access != .open {
                switch context.authentication {
                case .authenticated: break
                case .anonymous: throw AuthenticationFailure.missing.error
                case .rejected(let failure): throw failure.error
                }
            }
            var response: Response
            if let destination {
                response = try await proxy.forward(request, to: destination.upstream, context: context)
            } else {
                response = try await next(request, context)
            }
            for field in Self.headers(decision) { response.headers[field.name] = field.value }
            return response
        } catch let error as APIError {
            // The request was counted; its error says so too.
            throw error.adding(headers: Self.headers(decision))
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
                .adding(headers: Self.headers(decision))
        }
    }

    /// Per user when signed in, per client address otherwise.
    private func limit(_ request: Request, context: Context) async -> RateLimiter.Decision {
        if case .authenticated(let identity) = context.authentication {
            return await limiter.check("user:\(identity.userID.uuidString)", limit: settings.userLimit)
        }
        let address = proxy.addresses.address(of: request, peer: context.peerAddress)
        return await limiter.check("addr:\(address)", limit: settings.anonymousLimit)
    }

    static func headers(_ decision: RateLimiter.Decision) -> HTTPFields {
        [
            .xRateLimitLimit: String(decision.limit),
            .xRateLimitRemaining: String(decision.remaining),
            .xRateLimitReset: String(decision.resetSeconds),
        ]
    }
}

extension HTTPFields {
    func merged(_ other: HTTPFields) -> HTTPFields {
        var result = self
        for field in other { result[field.name] = field.value }
        return result
    }
}

extension HTTPField.Name {
    static let xRateLimitLimit = Self("X-RateLimit-Limit")!
    static let xRateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let xRateLimitReset = Self("X-RateLimit-Reset")!
}
