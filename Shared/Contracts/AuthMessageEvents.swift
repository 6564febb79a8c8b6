import Foundation

/// `auth.invitation.created`: someone should receive an invitation email.
package struct InvitationCreated: EventPayload, Equatable {
    package static let eventType = "auth.invitation.created"
    package static let eventVersion = 1

    package var invitationID: UUID
    package var email: String
    /// `{PUBLIC_URL}/register/{token}`.
    package var invitationLink: String
    package var expiresAt: Date
    package var invitedBy: UUID

    package init(invitationID: UUID, email: String, invitationLink: String, expiresAt: Date, invitedBy: UUID) {
        self.invitationID = invitationID
        self.email = email
        self.invitationLink = invitationLink
        self.expiresAt = expiresAt
        self.invitedBy = invitedBy
    }

    enum CodingKeys: String, CodingKey {
        case email
        case invitationID = "invitation_id"
        case invitationLink = "invitation_link"
        case expiresAt = "expires_at"
        case invitedBy = "invited_by"
    }
}

/// `auth.password_reset.requested`: a user (or an admin for them) asked for a reset link.
package struct PasswordResetRequested: EventPayload, Equatable {
    package static let eventType = "auth.password_reset.requested"
    package static let eventVersion = 1

    package var userID: UUID
    package var email: String
    package var username: String
    /// `{PUBLIC_URL}/reset-password?token=...`.
    package var resetLink: String
    package var expiresAt: Date
    package var requestedByAdmin: Bool

    package init(userID: UUID, email: String, username: String, resetLink: String, expiresAt: Date, requestedByAdmin: Bool) {
        self.userID = userID
        self.email = email
        self.username = username
        self.resetLink = resetLink
        self.expiresAt = expiresAt
        self.requestedByAdmin = requestedByAdmin
    }

    enum CodingKeys: String, CodingKey {
        case email, username
        case userID = "user_id"
        case resetLink = "reset_link"
        case expiresAt = "expires_at"
        case requestedByAdmin = "requested_by_admin"
    }
}
