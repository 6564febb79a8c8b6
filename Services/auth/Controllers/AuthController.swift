import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// `/api/auth`: sign-in, registration by invitation, the own profile, and
/// refresh-token rotation and sign-out.
struct AuthController {
    let components: AuthComponents

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/auth")
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.post("logout", use: logout)
        router.group("api/auth", context: AuthenticatedContext.self).get("me", use: me)
    }

    /// `POST /api/auth/login`: JSON credentials → tokens; throttled per account and address.
    @Sendable func login(_ request: Request, context: ClipsetRequestContext) async throws -> TokenIssuer.Grant {
        var request = request
        var body = try await request.jsonFields()
        let username = body.string("username")?.lowercased()
        let password = body.string("password")
        try body.validate()
        guard let username, let password else { throw APIError(.unprocessableContent, "Invalid credentials") }

        let throttle = components.throttle
        let address = components.addresses.address(of: request, peer: context.peerAddress)
        if let wait = await throttle.hit("login:address:\(address)", throttle.rules.loginAddress) {
            throw APIError.throttled(retryAfter: wait)
        }
        let accountKey = "login:account:\(username)"
        if let wait = await throttle.check(accountKey, throttle.rules.loginAccount) {
            throw APIError.throttled(retryAfter: wait)
        }
        let user = try await components.users.find(username: username)
        let matches: Bool
        if let user {
            matches = try await components.hasher.verify(password, against: user.passwordHash)
        } else {
            try await components.hasher.verifyNothing(password)
            matches = false
        }
        guard let user, matches else {
            _ = await throttle.hit(accountKey, throttle.rules.loginAccount)
            throw APIError(.unauthorized, "Incorrect username or password", headers: [.wwwAuthenticate: "Bearer"])
        }
        guard user.isActive else { throw AuthenticationFailure.inactive.error }
        await throttle.clear(accountKey)
        return try await components.issuer.signIn(user)
    }

    /// `POST /api/auth/refresh`: a refresh token → new tokens; reuse revokes its family.
    @Sendable func refresh(_ request: Request, context: ClipsetRequestContext) async throws -> TokenIssuer.Grant {
        var request = request
        var body = try await request.jsonFields()
        let token = body.string("refresh_token")
        try body.validate()
        let invalid = APIError(.unauthorized, "Invalid refresh token", headers: [.wwwAuthenticate: "Bearer"])
        guard let token, case .rotated(let userID, let newToken) = try await components.refreshTokens.rotate(token) else {
            throw invalid
        }
        guard let user = try await components.users.find(id: userID) else { throw invalid }
        guard user.isActive else { throw AuthenticationFailure.inactive.error }
        return try await components.issuer.refreshed(user, refreshToken: newToken)
    }

    /// `POST /api/auth/logout`: revokes the refresh token's sign-in. Access
    /// tokens run out by themselves (15 minutes by default).
    @Sendable func logout(_ request: Request, context: ClipsetRequestContext) async throws -> MessageBody {
        var request = request
        var body = try await request.jsonFields()
        let token = body.string("refresh_token")
        try body.validate()
        if let token { try await components.refreshTokens.revoke(token) }
        return MessageBody(message: "Logged out successfully")
    }

    /// `GET /api/auth/me`: the caller's own profile with quota.
    @Sendable func me(_ request: Request, context: AuthenticatedContext) async throws -> UserBody {
        UserBody(user: try await components.currentUser(context.identity), shape: .withQuota)
    }
}
