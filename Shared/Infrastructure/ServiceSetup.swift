import Hummingbird
import Identity
import Messaging
import ServiceKit
import ServiceLifecycle

/// What a schema-owning service adds to the common set-up: routes on the
/// router (which already authenticates), `/ready` checks, long-lived parts,
/// and handlers of the events it consumes from its `<schema>.events` queue.
package struct ServiceSetup {
    /// Routes go here; wrap those that need a user in `AuthenticatedContext`/`AdminContext` groups.
    package let router: Router<ClipsetRequestContext>
    package let infrastructure: Infrastructure
    package let environment: ServiceEnvironment
    package var readiness: [ReadinessCheck] = []
    /// Started after the infrastructure's services, stopped before them.
    package var services: [any Service] = []
    /// Merged with the identity read model's handlers; a consumer runs when any exist.
    package var eventHandlers = EventHandlers()
}

/// Where a service's token verifier gets its keys.
package enum TokenKeys: Sendable {
    /// auth's JWKS over HTTP (every service but auth).
    case remote
    /// auth's own key ring, and how it reads its deactivated users.
    case local(SigningKeyRing, deactivated: @Sendable (Infrastructure) -> DeactivatedUsers.Loader)
}
