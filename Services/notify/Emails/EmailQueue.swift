import Foundation
import Logging
import PostgresNIO

/// `notify.emails`: an email is queued in the transaction of the event that causes
/// it (once per event, kind and address) and delivered later by ``EmailDelivery``.
enum EmailQueue {
    /// One email to queue.
    struct Draft: Sendable {
        var eventID: UUID
        var kind: EmailKind
        var userID: UUID?
        var to: String
        var subject: String
        var text: String
        var html: String
    }

    /// Queues `draft` unless the same event already made it.
    static func enqueue(_ draft: Draft, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notify.emails (id, event_id, kind, user_id, to_address, subject, text_body, html_body)
            VALUES (\(UUID()), \(draft.eventID), \(draft.kind.rawValue), \(draft.userID), \(draft.to), \(draft.subject),
                \(draft.text), \(draft.html))
            ON CONFLICT (event_id, kind, to_address) DO NOTHING
            """, logger: logger)
    }

    /// Whether `userID` gets emails of `kind` (no preferences row: every email).
    static func wants(_ userID: UUID, _ kind: EmailKind, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        guard kind.isOptional else { return true }
        let rows = try await connection.query(
            "SELECT \(unescaped: kind.rawValue) FROM notify.preferences WHERE user_id = \(userID)", logger: logger
        ).collect()
        return try rows.first?.decode(Bool.self) ?? true
    }
}
