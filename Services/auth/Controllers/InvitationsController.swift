import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import ServiceKit

/// `/api/invitations`: admins invite by email; anyone may check a token.
struct InvitationsController {
    let components: AuthComponents

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.group("api/invitations").get("validate/:token", use: validate)
        let admin = router.group("api/invitations", context: AuthenticatedContext.self)
        admin.post("", use: create)
        admin.get("", use: list)
        admin.delete(":invitation_id", use: revoke)
    }

    /// A new invitation, announced for the email with its link.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<Invitation> {
        let admin = try await components.currentAdmin(context.identity)
        var request = request
        var body = try await request.jsonFields()
        let email = AccountRules.email(body.string("email"), into: &body)
        try body.validate()
        guard let email else { throw APIError(.badRequest, "Invalid email") }
        let invitation = try await components.transaction { connection in
            var invitation = try await components.invitations.create(email: email, createdBy: admin.id, on: connection)
            let link = components.settings.invitationLink(token: invitation.token)
            invitation.link = link
            let event = InvitationCreated(
                invitationID: invitation.id, email: email, invitationLink: link,
                expiresAt: invitation.expiresAt, invitedBy: admin.id)
            _ = try await components.outbox.enqueue(event, on: connection, logger: components.logger)
            return invitation
        }
        return EditedResponse(status: .created, response: invitation)
    }

    /// Every invitation, newest first, in any state.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [Invitation] {
        _ = try await components.currentAdmin(context.identity)
        let page = try PageRequest(request, defaultLimit: 10, maxLimit: 100)
        return try await components.invitations.list(skip: page.skip, limit: page.limit)
    }

    /// Whether a token can still be used to register; always 200.
    @Sendable func validate(_ request: Request, context: ClipsetRequestContext) async throws -> InvitationValidation {
        guard let token = context.parameters.get("token"), let invitation = try await components.invitations.find(token: token) else {
            return InvitationValidation(valid: false, email: nil, message: "Invitation not found")
        }
        if invitation.used {
            return InvitationValidation(valid: false, email: invitation.email, message: "Invitation has already been used")
        }
        if invitation.expiresAt <= Date() {
            return InvitationValidation(valid: false, email: invitation.email, message: "Invitation has expired")
        }
        return InvitationValidation(valid: true, email: invitation.email, message: "Invitation is valid")
    }

    /// Deletes an invitation in any state.
    @Sendable func revoke(_ request: Request, context: AuthenticatedContext) async throws -> MessageBody {
        _ = try await components.currentAdmin(context.identity)
        guard try await components.invitations.delete(try context.parameters.uuid("invitation_id")) else {
            throw APIError(.notFound, "Invitation not found")
        }
        return MessageBody(message: "Invitation revoked successfully")
    }
}
