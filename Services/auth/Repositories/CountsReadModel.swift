import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// auth's read model of what media and social own: each user's videos and
/// playlists (for `video_count` and `playlist_count`) and their weekly upload
/// counter. Rows are marked deleted rather than removed, so a `created` event
/// arriving after its `deleted` one cannot bring an object back.
enum CountsReadModel {
    static func register(in handlers: inout EventHandlers) {
        handlers.on(VideoCreated.self) { event, connection, logger in
            try await record(.videos, event.data.videoID, owner: event.data.uploadedBy, deleted: false, connection, logger)
        }
        handlers.on(VideoDeleted.self) { event, connection, logger in
            try await record(.videos, event.data.videoID, owner: event.data.uploadedBy, deleted: true, connection, logger)
        }
        handlers.on(PlaylistCreated.self) { event, connection, logger in
            try await record(.playlists, event.data.playlistID, owner: event.data.createdBy, deleted: false, connection, logger)
        }
        handlers.on(PlaylistDeleted.self) { event, connection, logger in
            try await record(.playlists, event.data.playlistID, owner: event.data.createdBy, deleted: true, connection, logger)
        }
        handlers.on(QuotaChanged.self) { event, connection, logger in
            let quota = event.data
            try await connection.query("""
                INSERT INTO auth.user_quotas (user_id, weekly_upload_bytes, last_upload_reset, changed_at)
                VALUES (\(quota.userID), \(quota.weeklyUploadBytes), \(quota.lastUploadReset), \(event.occurredAt))
                ON CONFLICT (user_id) DO UPDATE SET weekly_upload_bytes = EXCLUDED.weekly_upload_bytes,
                    last_upload_reset = EXCLUDED.last_upload_reset, changed_at = EXCLUDED.changed_at
                WHERE user_quotas.changed_at <= EXCLUDED.changed_at
                """, logger: logger)
        }
    }

    /// The two tables of owned objects.
    enum Objects {
        case videos, playlists

        var table: String { self == .videos ? "user_videos" : "user_playlists" }
        var idColumn: String { self == .videos ? "video_id" : "playlist_id" }
    }

    /// Records that `owner` has (or no longer has) object `id`; a deletion is never undone.
    private static func record(
        _ objects: Objects, _ id: UUID, owner: UUID, deleted: Bool, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let table = objects.table
        try await connection.query("""
            INSERT INTO auth.\(unescaped: table) (\(unescaped: objects.idColumn), user_id, deleted) VALUES (\(id), \(owner), \(deleted))
            ON CONFLICT (\(unescaped: objects.idColumn)) DO UPDATE SET deleted = \(unescaped: table).deleted OR EXCLUDED.deleted
            """, logger: logger)
    }
}
