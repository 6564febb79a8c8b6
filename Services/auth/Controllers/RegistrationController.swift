import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import PostgresNIO
import ServiceKit

/// `POST /api/auth/register`: an account from an invitation.
struct RegistrationController {
    let components: AuthComponents

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.group("api/auth").post("register", use: register)
    }

    /// Checks in the original's order: invitation, its email, email free, username free.
    @Sendable func register(_ request: Request, context: ClipsetRequestContext) async throws -> EditedResponse<UserBody> {
        var request = request
        var body = try await request.jsonFields()
        let email = AccountRules.email(body.string("email"), into: &body)
        let username = AccountRules.username(body.string("username"), into: &body)
        let password = AccountRules.password(body.string("password"), into: &body)
        let token = body.string("invitation_token")
        try body.validate()
        guard let email, let username, let password, let token else { throw APIError(.badRequest, "Invalid registration") }

        guard let invitation = try await components.invitations.find(token: token), !invitation.used,
              invitation.expiresAt > Date()
        else { throw APIError(.badRequest, "Invalid or expired invitation token") }
        guard invitation.email.lowercased() == email else { throw APIError(.badRequest, "Email does not match invitation") }
        guard try await components.users.find(email: email) == nil else { throw APIError(.badRequest, "Email already registered") }
        guard try await components.users.find(username: username) == nil else { throw APIError(.badRequest, "Username already taken") }

        let hash = try await components.hasher.hash(password)
        let id = try await createUser(email: email, username: username, hash: hash, invitation: invitation.id)
        guard let user = try await components.users.find(id: id) else { throw APIError(.internalServerError, "Registration failed") }
        return EditedResponse(status: .created, response: UserBody(user: user, shape: .withQuota))
    }

    /// Inserts the user, uses up the invitation and announces the account, in one transaction.
    private func createUser(email: String, username: String, hash: String, invitation: UUID) async throws -> UUID {
        do {
            return try await components.transaction { connection in
                guard try await components.invitations.markUsed(invitation, on: connection) else {
                    throw APIError(.badRequest, "Invalid or expired invitation token")
                }
                let id = try await components.users.insert(
                    email: email, username: username, passwordHash: hash, role: .user, on: connection)
                let event = UserRegistered(userID: id, username: username, email: email, role: Role.user.rawValue, createdAt: Date())
                _ = try await components.outbox.enqueue(event, on: connection, logger: components.logger)
                return id
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // Someone registered the same email or username a moment earlier.
            let field = error.serverInfo?[.constraintName]?.contains("email") == true ? "Email already registered" : "Username already taken"
            throw APIError(.badRequest, field)
        }
    }
}
