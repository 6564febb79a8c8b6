import Foundation
import Logging
import PostgresNIO

/// An in-app notification, written in the transaction of the event that causes it
/// (once per event, user and kind).
struct InAppNotice: Sendable {
    var userID: UUID
    var eventID: UUID
    var kind: EmailKind
    var title: String
    var body: String
    var link: String?

    func save(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notify.notifications (id, user_id, event_id, kind, title, body, link)
            VALUES (\(UUID()), \(userID), \(eventID), \(kind.rawValue), \(title), \(body), \(link))
            ON CONFLICT (event_id, user_id, kind) DO NOTHING
            """, logger: logger)
    }
}
