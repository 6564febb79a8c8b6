import HTTPTypes
import Database
import Identity
import Images
import Infrastructure
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Everything auth's controllers work with, built once at start-up.
struct AuthComponents: Sendable {
    let settings: AuthSettings
    let postgres: PostgresClient
    let users: UserRepository
    let invitations: InvitationRepository
    let resets: PasswordResetRepository
    let refreshTokens: RefreshTokenRepository
    let hasher: PasswordHasher
    let issuer: TokenIssuer
    let throttle: Throttle
    let addresses: ClientAddressResolver
    let outbox: Outbox
    let relay: OutboxRelay
    let avatars: AvatarStore
    let logger: Logger

    /// Runs `body` in a transaction, then wakes the outbox relay so the events
    /// written with it go out at once.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let result = try await postgres.transaction(logger: logger, body)
        relay.wake()
        return result
    }

    /// The user a request's identity names, re-read from the database (the
    /// original re-read it on every request: role and activity are the row's).
    func currentUser(_ identity: Identity) async throws -> UserRecord {
        guard let user = try await users.find(id: identity.userID) else {
            throw AuthenticationFailure.invalid.error
        }
        guard user.isActive else { throw AuthenticationFailure.inactive.error }
        return user
    }

    /// The current user, who must be an admin.
    func currentAdmin(_ identity: Identity) async throws -> UserRecord {
        let user = try await currentUser(identity)
        guard user.role == .admin else {
            throw APIError(.forbidden, "Not enough permissions. Admin access required.")
        }
        return user
    }
}
