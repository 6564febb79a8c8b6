import Foundation

/// Who is calling: the user a verified access token speaks for.
package struct Identity: Sendable, Equatable {
    package let userID: UUID
    package let username: String
    package let role: Role
    /// The token's `jti`, for logs.
    package let tokenID: String
    /// When the token stops being valid (`exp`); long-lived responses such as
    /// event streams end there. Nil for identities not read from a token.
    package let expiresAt: Date?

    package init(userID: UUID, username: String, role: Role, tokenID: String, expiresAt: Date? = nil) {
        self.userID = userID
        self.username = username
        self.role = role
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }

    package var isAdmin: Bool { role == .admin }
}

/// The two roles of Clipset, serialised lower-case as in the original.
package enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    case user
}
