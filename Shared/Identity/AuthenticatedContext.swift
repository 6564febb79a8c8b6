import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The context of a route that needs a signed-in, active user: creating it
/// fails with the original's 401 or 403 when there is none, so a handler
/// written against it always has an ``Identity``.
package struct AuthenticatedContext: ChildRequestContext {
    package typealias ParentContext = ClipsetRequestContext

    package var coreContext: CoreRequestContextStorage
    package let identity: Identity
    package let peerAddress: SocketAddress?

    package init(context: ClipsetRequestContext) throws {
        switch context.authentication {
        case .authenticated(let identity): self.identity = identity
        case .anonymous: throw AuthenticationFailure.missing.error
        case .rejected(let failure): throw failure.error
        }
        coreContext = context.coreContext
        peerAddress = context.peerAddress
    }

    package var requestDecoder: JSONDecoder { APIJSON.decoder() }
    package var responseEncoder: JSONEncoder { APIJSON.encoder() }
}

/// The context of an admin-only route: an ``AuthenticatedContext`` whose user
/// is an admin, else the original's 403.
package struct AdminContext: ChildRequestContext {
    package typealias ParentContext = ClipsetRequestContext

    package var coreContext: CoreRequestContextStorage
    package let identity: Identity
    package let peerAddress: SocketAddress?

    package init(context: ClipsetRequestContext) throws {
        let authenticated = try AuthenticatedContext(context: context)
        guard authenticated.identity.isAdmin else {
            throw APIError(.forbidden, "Not enough permissions. Admin access required.")
        }
        identity = authenticated.identity
        coreContext = authenticated.coreContext
        peerAddress = authenticated.peerAddress
    }

    package var requestDecoder: JSONDecoder { APIJSON.decoder() }
    package var responseEncoder: JSONEncoder { APIJSON.encoder() }
}
