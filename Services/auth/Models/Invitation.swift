import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// An invitation as stored and as the original API shows it (`Invitation`,
/// or `InvitationWithLink` when `link` is set).
struct Invitation: Sendable, ResponseEncodable {
    var id: UUID
    var email: String
    var token: String
    var createdBy: UUID
    var createdAt: Date
    var expiresAt: Date
    var used: Bool
    var usedAt: Date?
    var link: String?

    static let select = "SELECT id, email, token, created_by, created_at, expires_at, used, used_at FROM auth.invitations"

    init(row: PostgresRow) throws {
        (id, email, token, createdBy, createdAt, expiresAt, used, usedAt) = try row.decode(
            (UUID, String, String, UUID, Date, Date, Bool, Date?).self)
    }

    enum Keys: String, CodingKey {
        case id, email, token, used
        case createdBy = "created_by", createdAt = "created_at", expiresAt = "expires_at", usedAt = "used_at"
        case link = "invitation_link"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id.apiString, forKey: .id)
        try c.encode(email, forKey: .email)
        try c.encode(token, forKey: .token)
        try c.encode(createdBy.apiString, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(used, forKey: .used)
        try c.encode(usedAt, forKey: .usedAt)
        if let link { try c.encode(link, forKey: .link) }
    }
}

/// `InvitationValidation`: `valid`, `email`, `message`, always all three.
struct InvitationValidation: ResponseEncodable {
    let valid: Bool
    let email: String?
    let message: String

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(valid, forKey: .valid)
        try c.encode(email, forKey: .email)
        try c.encode(message, forKey: .message)
    }

    enum CodingKeys: String, CodingKey { case valid, email, message }
}
