import Contracts
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// social's read models of what other services own: users' names and avatars
/// (auth) and videos (media). Older events never override newer ones
/// (`changed_at`); a deleted video stays deleted and takes its comments and its
/// playlist entries with it, the playlists closing the gap it leaves.
enum SocialReadModels {
    static func register(in handlers: inout EventHandlers) {
        handlers.on(UserRegistered.self) { event, connection, logger in
            try await recordUser(event.data.userID, event.data.username, avatarURL: nil, at: event.occurredAt, connection, logger)
        }
        handlers.on(UserUpdated.self) { event, connection, logger in
            let user = event.data
            try await recordUser(user.userID, user.username, avatarURL: user.avatarURL, at: event.occurredAt, connection, logger)
        }
        handlers.on(VideoCreated.self) { event, connection, logger in
            guard let video = event.data.video else { return }
            try await recordVideo(video, at: event.occurredAt, connection, logger)
        }
        handlers.on(VideoUpdated.self) { event, connection, logger in
            try await recordVideo(event.data.video, at: event.occurredAt, connection, logger)
        }
        handlers.on(VideoProcessed.self) { event, connection, logger in
            try await recordVideo(event.data.video, at: event.occurredAt, connection, logger)
        }
        handlers.on(VideoFailed.self) { event, connection, logger in
            try await recordVideo(event.data.video, at: event.occurredAt, connection, logger)
        }
        handlers.on(VideoViewsCounted.self) { event, connection, logger in
            let ids = event.data.counts.map(\.videoID), counts = event.data.counts.map(\.viewCount)
            try await connection.query("""
                UPDATE social.videos v SET view_count = greatest(v.view_count, c.count)
                FROM unnest(\(ids)::uuid[], \(counts)::bigint[]) AS c(id, count) WHERE v.id = c.id
                """, logger: logger)
        }
        handlers.on(VideoDeleted.self) { event, connection, logger in
            try await forgetVideo(event.data.videoID, at: event.occurredAt, connection, logger)
        }
    }

    /// The caller's name from their token, for a user whose `auth.user.registered` has not
    /// arrived yet (so their first playlist or comment is not nameless); any event overrides it.
    static func recordCaller(_ caller: Identity, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO social.users (user_id, username, changed_at) VALUES (\(caller.userID), \(caller.username), '-infinity')
            ON CONFLICT (user_id) DO NOTHING
            """, logger: logger)
    }

    /// A new name also invalidates the cached comments that show it.
    private static func recordUser(
        _ userID: UUID, _ username: String, avatarURL: String?, at time: Date, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        let changed = try await connection.query("""
            INSERT INTO social.users (user_id, username, avatar_url, changed_at)
            VALUES (\(userID), \(username), \(avatarURL), \(time))
            ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, avatar_url = EXCLUDED.avatar_url,
                changed_at = EXCLUDED.changed_at
            WHERE users.changed_at <= EXCLUDED.changed_at
            RETURNING user_id
            """, logger: logger).collect()
        guard !changed.isEmpty else { return }
        // Row locks in id order, as a batch of playlist entries takes them (no deadlock).
        try await connection.query("""
            UPDATE social.videos SET comments_version = comments_version + 1
            WHERE id IN (SELECT id FROM social.videos
                         WHERE id IN (SELECT video_id FROM social.comments WHERE user_id = \(userID))
                         ORDER BY id FOR UPDATE)
            """, logger: logger)
    }

    /// A category social has deleted is never written back (the share lock waits for a delete
    /// in flight, whose clearing of the videos then covers this row too).
    private static func recordVideo(
        _ video: VideoSnapshot, at time: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let details = video.details
        try await lockVideoID(video.id, connection, logger)
        try await connection.query("""
            INSERT INTO social.videos (id, short_id, title, description, filename, original_filename, storage_path,
                file_size_bytes, thumbnail_filename, duration_seconds, uploaded_by, category_id, view_count,
                processing_status, error_message, created_at, changed_at)
            SELECT \(video.id), \(video.shortID), \(video.title), \(details?.description), \(details?.filename ?? ""),
                \(details?.originalFilename ?? ""), \(details?.storagePath), \(details?.fileSizeBytes ?? 0),
                \(video.thumbnailFilename), \(video.durationSeconds.map(Int32.init(clamping:))), \(video.uploadedBy),
                (SELECT id FROM social.categories WHERE id = \(video.categoryID) FOR SHARE), \(details?.viewCount ?? 0), \(video.processingStatus), \(video.errorMessage),
                \(video.createdAt), \(time)
            WHERE NOT EXISTS (SELECT 1 FROM social.deleted_videos WHERE video_id = \(video.id))
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
                filename = EXCLUDED.filename, original_filename = EXCLUDED.original_filename,
                storage_path = EXCLUDED.storage_path, file_size_bytes = EXCLUDED.file_size_bytes,
                thumbnail_filename = EXCLUDED.thumbnail_filename, duration_seconds = EXCLUDED.duration_seconds,
                category_id = EXCLUDED.category_id, view_count = greatest(videos.view_count, EXCLUDED.view_count),
                processing_status = EXCLUDED.processing_status, error_message = EXCLUDED.error_message,
                changed_at = EXCLUDED.changed_at
            WHERE videos.changed_at <= EXCLUDED.changed_at
            """, logger: logger)
    }

    /// Removes the video, its comments and its playlist entries, and closes the gaps in those playlists.
    /// The video's row goes first: a comment or an entry being added holds that row's lock, so it
    /// either commits before (and is deleted below) or finds the video gone.
    private static func forgetVideo(_ id: UUID, at time: Date, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await lockVideoID(id, connection, logger)
        try await connection.query(
            "INSERT INTO social.deleted_videos (video_id, deleted_at) VALUES (\(id), \(time)) ON CONFLICT DO NOTHING",
            logger: logger)
        try await connection.query("DELETE FROM social.videos WHERE id = \(id)", logger: logger)
        try await connection.query("DELETE FROM social.comments WHERE video_id = \(id)", logger: logger)
        // The playlists' row locks, as every change of their entries takes them.
        let playlists = try await connection.query("""
            SELECT id FROM social.playlists
            WHERE id IN (SELECT playlist_id FROM social.playlist_entries WHERE video_id = \(id)) ORDER BY id FOR UPDATE
            """, logger: logger).collect().map { try $0.decode(UUID.self) }
        try await connection.query("DELETE FROM social.playlist_entries WHERE video_id = \(id)", logger: logger)
        for playlist in playlists {
            try await PlaylistPositions.compact(playlist, on: connection, logger: logger)
        }
    }

    /// Serialises the events of one video across replicas until the transaction ends, so a
    /// `created` and a `deleted` applied at once on two replicas cannot both miss each other.
    private static func lockVideoID(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Self.videoLockSpace), hashtext(\(id.uuidString.lowercased())))", logger: logger)
    }

    /// The first key of the two-key advisory locks on video ids (the second is the id's hash).
    private static let videoLockSpace: Int32 = 0x5343_4C56
}
