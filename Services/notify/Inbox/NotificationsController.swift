import Database
import Foundation
import Hummingbird
import Identity
import Logging
import PostgresNIO
import ServiceKit

/// `/api/notifications`: the caller's in-app notifications, newest first, and marking
/// them read. Every route sees only the caller's own.
struct NotificationsController: Sendable {
    let postgres: PostgresClient
    let logger: Logger

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/notifications", context: AuthenticatedContext.self)
        group.get("", use: list)
        group.post("read-all", use: readAll)
        group.post(":notification_id/read", use: read)
    }

    /// `skip`, `limit` (1...100, default 20) and `unread_only` (true/false).
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> NotificationListBody {
        var query = request.queryFields
        var unreadOnly = false
        if let text = query.optionalString("unread_only") {
            switch text.lowercased() {
            case "true", "1", "yes", "on": unreadOnly = true
            case "false", "0", "no", "off": unreadOnly = false
            default: query.report("unread_only", "Input should be a valid boolean, unable to interpret input", type: "bool_parsing")
            }
        }
        try query.validate()
        let page = try PageRequest(request, defaultLimit: 20, maxLimit: 100)
        let user = context.identity.userID, onlyUnread = unreadOnly
        return try await postgres.withLeasedConnection { connection in
            let items = try await connection.query("""
                SELECT \(unescaped: NotificationBody.columns) FROM notify.notifications
                WHERE user_id = \(user) AND (NOT \(onlyUnread) OR read_at IS NULL)
                ORDER BY created_at DESC, id LIMIT \(page.limit) OFFSET \(page.skip)
                """, logger: logger).collect().map(NotificationBody.init(row:))
            let counts = try await connection.query("""
                SELECT count(*) FILTER (WHERE NOT \(onlyUnread) OR read_at IS NULL), count(*) FILTER (WHERE read_at IS NULL)
                FROM notify.notifications WHERE user_id = \(user)
                """, logger: logger).collect()
            let (total, unread) = try counts.first?.decode((Int, Int).self) ?? (0, 0)
            return NotificationListBody(notifications: items, total: total, unreadCount: unread)
        }
    }

    /// Marks one read (the first time counts); another user's is a 404.
    @Sendable func read(_ request: Request, context: AuthenticatedContext) async throws -> NotificationBody {
        let id = try context.parameters.uuid("notification_id")
        let rows = try await postgres.rows("""
            UPDATE notify.notifications SET read_at = coalesce(read_at, clock_timestamp())
            WHERE id = \(id) AND user_id = \(context.identity.userID)
            RETURNING \(unescaped: NotificationBody.columns)
            """, logger: logger)
        guard let row = rows.first else { throw APIError(.notFound, "Notification not found") }
        return try NotificationBody(row: row)
    }

    @Sendable func readAll(_ request: Request, context: AuthenticatedContext) async throws -> ReadAllBody {
        let rows = try await postgres.rows("""
            UPDATE notify.notifications SET read_at = clock_timestamp()
            WHERE user_id = \(context.identity.userID) AND read_at IS NULL RETURNING id
            """, logger: logger)
        return ReadAllBody(updated: rows.count)
    }
}
