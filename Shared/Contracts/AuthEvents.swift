import Foundation

/// `auth.user.registered`: an account exists (by invitation, or the initial admin).
package struct UserRegistered: EventPayload, Equatable {
    package static let eventType = "auth.user.registered"
    package static let eventVersion = 1

    package var userID: UUID
    package var username: String
    package var email: String
    package var role: String
    package var createdAt: Date
    /// True for an account brought over from an original Clipset (`auth import`): it
    /// existed before, so nobody welcomes it. Absent otherwise.
    package var imported: Bool?

    package init(userID: UUID, username: String, email: String, role: String, createdAt: Date, imported: Bool? = nil) {
        self.userID = userID
        self.username = username
        self.email = email
        self.role = role
        self.createdAt = createdAt
        self.imported = imported
    }

    enum CodingKeys: String, CodingKey {
        case username, email, role, imported
        case userID = "user_id"
        case createdAt = "created_at"
    }
}

/// `auth.user.updated`: what other services show of a user changed (username, role, avatar).
package struct UserUpdated: EventPayload, Equatable {
    package static let eventType = "auth.user.updated"
    package static let eventVersion = 1

    package var userID: UUID
    package var username: String
    package var role: String
    /// `/media/avatars/<file>.webp`, or nil when the user has none.
    package var avatarURL: String?

    package init(userID: UUID, username: String, role: String, avatarURL: String?) {
        self.userID = userID
        self.username = username
        self.role = role
        self.avatarURL = avatarURL
    }

    enum CodingKeys: String, CodingKey {
        case username, role
        case userID = "user_id"
        case avatarURL = "avatar_url"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encode(username, forKey: .username)
        try container.encode(role, forKey: .role)
        try container.encode(avatarURL, forKey: .avatarURL)
    }
}

/// `auth.user.deactivated`: the user's tokens must stop working everywhere.
package struct UserDeactivated: EventPayload, Equatable {
    package static let eventType = "auth.user.deactivated"
    package static let eventVersion = 1

    package var userID: UUID

    package init(userID: UUID) { self.userID = userID }

    enum CodingKeys: String, CodingKey { case userID = "user_id" }
}

/// `auth.user.activated`: a deactivated user may use the platform again.
package struct UserActivated: EventPayload, Equatable {
    package static let eventType = "auth.user.activated"
    package static let eventVersion = 1

    package var userID: UUID

    package init(userID: UUID) { self.userID = userID }

    enum CodingKeys: String, CodingKey { case userID = "user_id" }
}
