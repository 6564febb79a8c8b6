import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// media's read models of what other services own: users' names (auth) and
/// categories (social). Older events never override newer ones (`changed_at`),
/// a deleted category stays deleted, and deleting one clears it from its videos.
enum MediaReadModels {
    static func register(in handlers: inout EventHandlers) {
        handlers.on(UserRegistered.self) { event, connection, logger in
            try await recordUser(event.data.userID, username: event.data.username, at: event.occurredAt, connection, logger)
        }
        handlers.on(UserUpdated.self) { event, connection, logger in
            try await recordUser(event.data.userID, username: event.data.username, at: event.occurredAt, connection, logger)
        }
        handlers.on(CategoryCreated.self) { event, connection, logger in
            try await recordCategory(event.data.category, at: event.occurredAt, connection, logger)
        }
        handlers.on(CategoryUpdated.self) { event, connection, logger in
            try await recordCategory(event.data.category, at: event.occurredAt, connection, logger)
        }
        handlers.on(CategoryDeleted.self) { event, connection, logger in
            let id = event.data.categoryID
            try await connection.query("""
                INSERT INTO media.deleted_categories (category_id, deleted_at) VALUES (\(id), \(event.occurredAt))
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query("DELETE FROM media.categories WHERE category_id = \(id)", logger: logger)
            try await connection.query(
                "UPDATE media.videos SET category_id = NULL, updated_at = clock_timestamp() WHERE category_id = \(id)",
                logger: logger)
        }
    }

    /// Records a user's name; also called with the name in an uploader's token.
    static func recordUser(
        _ userID: UUID, username: String, at time: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query("""
            INSERT INTO media.users (user_id, username, changed_at) VALUES (\(userID), \(username), \(time))
            ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, changed_at = EXCLUDED.changed_at
            WHERE users.changed_at <= EXCLUDED.changed_at
            """, logger: logger)
    }

    private static func recordCategory(
        _ category: CategorySnapshot, at time: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query("""
            INSERT INTO media.categories (category_id, name, slug, changed_at)
            SELECT \(category.id), \(category.name), \(category.slug), \(time)
            WHERE NOT EXISTS (SELECT 1 FROM media.deleted_categories WHERE category_id = \(category.id))
            ON CONFLICT (category_id) DO UPDATE SET name = EXCLUDED.name, slug = EXCLUDED.slug, changed_at = EXCLUDED.changed_at
            WHERE categories.changed_at <= EXCLUDED.changed_at
            """, logger: logger)
    }

    /// Whether the category exists (uploads and PATCH refuse unknown ones with a 404).
    static func categoryExists(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT 1 FROM media.categories WHERE category_id = \(id)", logger: logger).collect()
        return !rows.isEmpty
    }
}
