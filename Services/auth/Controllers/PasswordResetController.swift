import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import PostgresNIO
import ServiceKit

/// Password resets: `POST forgot-password`, `GET verify-reset-token`,
/// `POST reset-password` under `/api/auth`. Links go out by email through
/// the `auth.password_reset.requested` event.
struct PasswordResetController {
    /// Links from forgot-password are valid for an hour; admin links for a day.
    static let userLinkLifetime: TimeInterval = 3600
    static let adminLinkLifetime: TimeInterval = 86_400

    let components: AuthComponents

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/auth")
        group.post("forgot-password", use: forgot)
        group.get("verify-reset-token", use: verify)
        group.post("reset-password", use: reset)
    }

    /// Always the same answer, whether or not the account exists; throttled per email and address.
    @Sendable func forgot(_ request: Request, context: ClipsetRequestContext) async throws -> MessageBody {
        var request = request
        var body = try await request.jsonFields()
        let email = AccountRules.email(body.string("email"), into: &body)
        try body.validate()
        guard let email else { throw APIError(.badRequest, "Invalid email") }
        let throttle = components.throttle
        let address = components.addresses.address(of: request, peer: context.peerAddress)
        if let wait = await throttle.hit("reset:address:\(address)", throttle.rules.resetAddress) {
            throw APIError.throttled(retryAfter: wait)
        }
        if let wait = await throttle.hit("reset:account:\(email)", throttle.rules.resetAccount) {
            throw APIError.throttled(retryAfter: wait)
        }
        if let user = try await components.users.find(email: email), user.isActive {
            _ = try await issueLink(for: user, lifetime: Self.userLinkLifetime, byAdmin: false)
        }
        return MessageBody(message: "If an account exists with this email, a reset link has been sent.")
    }

    /// `{username}` of a valid token.
    @Sendable func verify(_ request: Request, context: ClipsetRequestContext) async throws -> UsernameBody {
        var query = request.queryFields
        let token = query.string("token")
        try query.validate()
        guard let token, let userID = try await components.resets.user(for: token),
              let user = try await components.users.find(id: userID)
        else { throw APIError(.badRequest, "Invalid or expired token") }
        return UsernameBody(username: user.username)
    }

    /// Sets the new password, uses the token up and ends every sign-in of the user.
    @Sendable func reset(_ request: Request, context: ClipsetRequestContext) async throws -> MessageBody {
        var request = request
        var body = try await request.jsonFields()
        let token = body.string("token")
        let password = AccountRules.password(body.string("password"), into: &body)
        try body.validate()
        guard let token, let password else { throw APIError(.badRequest, "Invalid or expired token") }
        let hash = try await components.hasher.hash(password)
        let changed = try await components.transaction { connection -> Bool in
            guard let userID = try await components.resets.consume(token, on: connection) else { return false }
            try await components.users.setPasswordHash(userID, hash, on: connection)
            try await components.refreshTokens.revokeAll(userID: userID, on: connection)
            return true
        }
        guard changed else { throw APIError(.badRequest, "Invalid or expired token") }
        return MessageBody(message: "Password reset successfully")
    }

    /// Creates a reset token for `user` and announces its link (for the email).
    func issueLink(for user: UserRecord, lifetime: TimeInterval, byAdmin: Bool) async throws -> (link: String, expiresAt: Date) {
        try await components.transaction { connection in
            let (token, expires) = try await components.resets.create(userID: user.id, lifetime: lifetime, on: connection)
            let link = components.settings.resetLink(token: token)
            let event = PasswordResetRequested(
                userID: user.id, email: user.email, username: user.username,
                resetLink: link, expiresAt: expires, requestedByAdmin: byAdmin)
            _ = try await components.outbox.enqueue(event, on: connection, logger: components.logger)
            return (link, expires)
        }
    }
}

/// `{"username": ...}`.
struct UsernameBody: ResponseEncodable {
    let username: String
}
