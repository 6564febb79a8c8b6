import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// One in-app notification as the API shows it.
struct NotificationBody: ResponseEncodable {
    var id: UUID
    var kind: String
    var title: String
    var body: String
    var link: String?
    var createdAt: Date
    var readAt: Date?

    static let columns = "id, kind, title, body, link, created_at, read_at"

    init(row: PostgresRow) throws {
        (id, kind, title, body, link, createdAt, readAt) = try row.decode((UUID, String, String, String, String?, Date, Date?).self)
    }

    enum Keys: String, CodingKey {
        case id, kind, title, body, link
        case createdAt = "created_at", readAt = "read_at", isRead = "is_read"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id.apiString, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(title, forKey: .title)
        try c.encode(body, forKey: .body)
        try c.encode(link, forKey: .link)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(readAt, forKey: .readAt)
        try c.encode(readAt != nil, forKey: .isRead)
    }
}

/// `{"notifications": [...], "total": n, "unread_count": n}`.
struct NotificationListBody: ResponseEncodable {
    let notifications: [NotificationBody]
    let total: Int
    let unreadCount: Int

    enum CodingKeys: String, CodingKey { case notifications, total, unreadCount = "unread_count" }
}

/// `{"updated": n}`.
struct ReadAllBody: ResponseEncodable {
    let updated: Int
}
