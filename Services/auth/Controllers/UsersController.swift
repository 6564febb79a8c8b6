import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import ServiceKit

/// `/api/users`: the admin list, the directory, profiles, and the admin's
/// deactivate, activate and reset-link actions.
struct UsersController {
    let components: AuthComponents
    let resets: PasswordResetController

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/users", context: AuthenticatedContext.self)
        group.get("", use: list)
        group.get("directory", use: directory)
        group.get("by-username/:username", use: byUsername)
        group.get(":user_id", use: byID)
        group.delete(":user_id", use: deactivate)
        group.post(":user_id/activate", use: activate)
        group.post(":user_id/generate-reset-link", use: generateResetLink)
    }

    /// Everyone, newest first (admin).
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [UserBody] {
        _ = try await components.currentAdmin(context.identity)
        let page = try PageRequest(request, defaultLimit: 10, maxLimit: 500)
        return try await components.users.list(skip: page.skip, limit: page.limit).map { UserBody(user: $0, shape: .response) }
    }

    /// Active users, searched and sorted.
    @Sendable func directory(_ request: Request, context: AuthenticatedContext) async throws -> [UserBody] {
        _ = try await components.currentUser(context.identity)
        var query = request.queryFields
        let search = query.optionalString("search")
        let sort = query.optionalString("sort").map { DirectorySort(rawValue: $0) ?? .unordered } ?? .newest
        try query.validate()
        let users = try await components.users.directory(search: search, sort: sort)
        return users.map { UserBody(user: $0, shape: .directory) }
    }

    @Sendable func byUsername(_ request: Request, context: AuthenticatedContext) async throws -> UserBody {
        let caller = try await components.currentUser(context.identity)
        let name = context.parameters.get("username") ?? ""
        guard let user = try await components.users.find(username: name) else { throw APIError(.notFound, "User not found") }
        return UserBody(user: user, shape: user.id == caller.id ? .withQuota : .profile)
    }

    @Sendable func byID(_ request: Request, context: AuthenticatedContext) async throws -> UserBody {
        let caller = try await components.currentUser(context.identity)
        let id = try context.parameters.uuid("user_id")
        guard let user = try await components.users.find(id: id) else { throw APIError(.notFound, "User not found") }
        return UserBody(user: user, shape: user.id == caller.id ? .withQuota : .profile)
    }

    /// Soft delete: the user can no longer sign in, and their tokens stop working everywhere.
    @Sendable func deactivate(_ request: Request, context: AuthenticatedContext) async throws -> MessageBody {
        let admin = try await components.currentAdmin(context.identity)
        let id = try context.parameters.uuid("user_id")
        guard id != admin.id else { throw APIError(.badRequest, "Cannot delete yourself") }
        try await setActive(id, false)
        return MessageBody(message: "User deactivated successfully")
    }

    @Sendable func activate(_ request: Request, context: AuthenticatedContext) async throws -> MessageBody {
        _ = try await components.currentAdmin(context.identity)
        try await setActive(try context.parameters.uuid("user_id"), true)
        return MessageBody(message: "User activated successfully")
    }

    /// A reset link for the admin to pass on (and an email to the user).
    @Sendable func generateResetLink(_ request: Request, context: AuthenticatedContext) async throws -> ResetLinkBody {
        _ = try await components.currentAdmin(context.identity)
        guard let user = try await components.users.find(id: try context.parameters.uuid("user_id")) else {
            throw APIError(.notFound, "User not found")
        }
        let (link, expires) = try await resets.issueLink(for: user, lifetime: PasswordResetController.adminLinkLifetime, byAdmin: true)
        return ResetLinkBody(resetLink: link, expiresAt: APIDate.string(from: expires))
    }

    private func setActive(_ id: UUID, _ active: Bool) async throws {
        guard try await components.users.find(id: id) != nil else { throw APIError(.notFound, "User not found") }
        try await components.transaction { connection in
            try await components.users.setActive(id, active, on: connection)
            if active {
                _ = try await components.outbox.enqueue(UserActivated(userID: id), on: connection, logger: components.logger)
            } else {
                try await components.refreshTokens.revokeAll(userID: id, on: connection)
                _ = try await components.outbox.enqueue(UserDeactivated(userID: id), on: connection, logger: components.logger)
            }
        }
    }
}

/// The admin's reset link and when it expires.
struct ResetLinkBody: ResponseEncodable {
    let resetLink: String
    let expiresAt: String

    enum CodingKeys: String, CodingKey {
        case resetLink = "reset_link", expiresAt = "expires_at"
    }
}
