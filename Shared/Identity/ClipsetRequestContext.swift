import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The request context of every Clipset service: who is calling, as
/// ``AuthenticationMiddleware`` found out, and from which address. Handlers
/// that need a user take ``AuthenticatedContext`` instead, which cannot exist
/// without one.
package struct ClipsetRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by ``AuthenticationMiddleware``; `.anonymous` without it.
    package var authentication: Authentication = .anonymous
    /// The peer of the connection (a proxy, when there is one).
    package let peerAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress
    }

    package var requestDecoder: JSONDecoder { APIJSON.decoder() }
    package var responseEncoder: JSONEncoder { APIJSON.encoder() }
}

/// The outcome of looking at a request's bearer token.
package enum Authentication: Sendable, Equatable {
    /// No token was sent.
    case anonymous
    /// A valid token of an active user.
    case authenticated(Identity)
    /// A token was sent and refused, with the error a protected route answers.
    case rejected(AuthenticationFailure)
}

/// Why a protected route refuses the caller, as the original API words it.
package enum AuthenticationFailure: Sendable, Equatable {
    case missing
    case invalid
    case inactive
    case keysUnavailable

    package var error: APIError {
        switch self {
        case .missing: APIError(.unauthorized, "Not authenticated", headers: [.wwwAuthenticate: "Bearer"])
        case .invalid: APIError(.unauthorized, "Could not validate credentials", headers: [.wwwAuthenticate: "Bearer"])
        case .inactive: APIError(.forbidden, "Inactive user")
        case .keysUnavailable: .unavailable("Authentication is temporarily unavailable")
        }
    }
}
