import Contracts
import Foundation
import HTTPTypes
import Identity
import Infrastructure
import Logging
import PostgresNIO
import ServiceKit

/// Reads and changes playlists. A change of a playlist's entries runs in one
/// transaction holding the playlist's row lock and leaves positions 0..n-1.
struct PlaylistRepository: Sendable {
    let database: OutboxDatabase
    var logger: Logger { database.logger }

    func find(shortID: String) async throws -> PlaylistRecord? {
        guard ShortID.isWellFormed(shortID) else { return nil }
        return try await database.rows(
            "SELECT \(unescaped: PlaylistRecord.columns) FROM \(unescaped: PlaylistRecord.source) WHERE p.short_id = \(shortID)"
        ).first.map(PlaylistRecord.init(row:))
    }

    /// A user's playlists, newest first.
    func playlists(of userID: UUID) async throws -> [PlaylistRecord] {
        try await database.rows("""
            SELECT \(unescaped: PlaylistRecord.columns) FROM \(unescaped: PlaylistRecord.source)
            WHERE p.created_by = \(userID) ORDER BY p.created_at DESC, p.id
            """).map(PlaylistRecord.init(row:))
    }

    /// A user's playlists, newest first, and which of them hold `videoID`.
    func playlists(of userID: UUID, holding videoID: UUID) async throws -> [(PlaylistRecord, Bool)] {
        let rows = try await database.rows("""
            SELECT \(unescaped: PlaylistRecord.columns),
                EXISTS (SELECT 1 FROM social.playlist_entries h WHERE h.playlist_id = p.id AND h.video_id = \(videoID)) AS holds
            FROM \(unescaped: PlaylistRecord.source)
            WHERE p.created_by = \(userID) ORDER BY p.created_at DESC, p.id
            """)
        return try rows.map { (try PlaylistRecord(row: $0), try $0.makeRandomAccess()["holds"].decode(Bool.self)) }
    }

    /// The user id of a name (case-insensitive), from the users read model.
    func user(named username: String) async throws -> UUID? {
        try await database.rows(
            "SELECT user_id FROM social.users WHERE lower(username) = lower(\(username)) ORDER BY changed_at DESC LIMIT 1"
        ).first?.decode(UUID.self)
    }

    /// The entries of a playlist by position.
    func entries(of playlistID: UUID) async throws -> [PlaylistEntryRecord] {
        try await database.rows("""
            SELECT \(unescaped: PlaylistEntryRecord.columns) FROM \(unescaped: PlaylistEntryRecord.source)
            WHERE e.playlist_id = \(playlistID) ORDER BY e.position
            """).map(PlaylistEntryRecord.init(row:))
    }

    /// Creates a playlist (a new short id on the rare clash) and announces it.
    func create(name: String, description: String?, by caller: Identity) async throws -> PlaylistRecord {
        let userID = caller.userID
        for attempt in 1...5 {
            let id = UUID(), shortID = ShortID.make()
            do {
                return try await database.transaction { connection in
                    try await SocialReadModels.recordCaller(caller, on: connection, logger: logger)
                    try await connection.query("""
                        INSERT INTO social.playlists (id, short_id, name, description, created_by)
                        VALUES (\(id), \(shortID), \(name), \(description), \(userID))
                        """, logger: logger)
                    try await database.enqueue(PlaylistCreated(playlistID: id, createdBy: userID), on: connection)
                    guard let playlist = try await reread(id, on: connection) else { throw APIError(.notFound, "Playlist not found") }
                    return playlist
                }
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" && attempt < 5 {
                continue
            }
        }
        throw APIError.unavailable("Could not create the playlist, please retry", retryAfterSeconds: 1)
    }

    /// Renames and/or describes; nil fields stay, `.some(nil)` clears the description.
    func update(_ id: UUID, name: String?, description: String??) async throws -> PlaylistRecord? {
        let setDescription = description != nil
        return try await database.transaction { connection in
            try await connection.query("""
                UPDATE social.playlists SET name = coalesce(\(name), name),
                    description = CASE WHEN \(setDescription) THEN \(description ?? nil) ELSE description END,
                    updated_at = clock_timestamp()
                WHERE id = \(id)
                """, logger: logger)
            return try await reread(id, on: connection)
        }
    }

    /// Deletes the playlist (its entries go with it) and announces it.
    func delete(_ playlist: PlaylistRecord) async throws {
        try await database.transaction { connection in
            let rows = try await connection.query(
                "DELETE FROM social.playlists WHERE id = \(playlist.id) RETURNING id", logger: logger).collect()
            guard !rows.isEmpty else { return }
            try await database.enqueue(PlaylistDeleted(playlistID: playlist.id, createdBy: playlist.createdBy), on: connection)
        }
    }

    /// Runs `body` on the playlist's entries under its row lock, then closes any gap and
    /// touches `updated_at`; nil when the playlist is gone.
    ///
    /// The videos being added are share-locked first (a 404 when one is gone): the same
    /// order as the removal of a deleted video (its row, then its playlists), so the two never
    /// deadlock, and an entry either commits before that removal or never.
    func changingEntries<Result: Sendable>(
        of playlistID: UUID, adding videos: [UUID] = [],
        _ body: @escaping @Sendable (PostgresConnection, [UUID]) async throws -> Result
    ) async throws -> Result? {
        try await database.transaction { connection in
            let sorted = videos.sorted { $0.uuidString < $1.uuidString }
            if !sorted.isEmpty {
                let known = try await connection.query("""
                    SELECT id FROM social.videos WHERE id = ANY(\(sorted)) ORDER BY id FOR SHARE
                    """, logger: logger).collect().map { try $0.decode(UUID.self) }
                let missing = sorted.filter { !known.contains($0) }
                guard missing.isEmpty else {
                    throw APIError(.notFound, "Video not found: \(missing.map(\.apiString).joined(separator: ", "))")
                }
            }
            let locked = try await connection.query(
                "SELECT 1 FROM social.playlists WHERE id = \(playlistID) FOR UPDATE", logger: logger).collect()
            guard !locked.isEmpty else { return nil }
            let order = try await connection.query(
                "SELECT video_id FROM social.playlist_entries WHERE playlist_id = \(playlistID) ORDER BY position",
                logger: logger
            ).collect().map { try $0.decode(UUID.self) }
            let result = try await body(connection, order)
            try await PlaylistPositions.compact(playlistID, on: connection, logger: logger)
            try await connection.query(
                "UPDATE social.playlists SET updated_at = clock_timestamp() WHERE id = \(playlistID)", logger: logger)
            return result
        }
    }

    /// Inserts an entry at `position` inside ``changingEntries(of:adding:_:)`` (which locked the video).
    func insert(
        _ videoID: UUID, at position: Int, into playlistID: UUID, by userID: UUID, on connection: PostgresConnection
    ) async throws -> UUID {
        try await PlaylistPositions.openGap(at: position, in: playlistID, on: connection, logger: logger)
        let id = UUID()
        try await connection.query("""
            INSERT INTO social.playlist_entries (id, playlist_id, video_id, position, added_by)
            VALUES (\(id), \(playlistID), \(videoID), \(Int32(clamping: position)), \(userID))
            """, logger: logger)
        return id
    }

    /// The entries with `ids`, by position, on a connection inside ``changingEntries(of:adding:_:)``.
    func entries(ids: [UUID], on connection: PostgresConnection) async throws -> [PlaylistEntryRecord] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query("""
            SELECT \(unescaped: PlaylistEntryRecord.columns) FROM \(unescaped: PlaylistEntryRecord.source)
            WHERE e.id = ANY(\(ids)) ORDER BY e.position
            """, logger: logger).collect().map(PlaylistEntryRecord.init(row:))
    }

    /// The videos of `ids` that social knows and `viewer` may see.
    func visibleVideos(_ ids: [UUID], to viewer: Identity) async throws -> Set<UUID> {
        let rows = try await database.rows("""
            SELECT id FROM social.videos
            WHERE id = ANY(\(ids)) AND (\(viewer.isAdmin) OR uploaded_by = \(viewer.userID) OR processing_status = 'completed')
            """)
        return Set(try rows.map { try $0.decode(UUID.self) })
    }

    private func reread(_ id: UUID, on connection: PostgresConnection) async throws -> PlaylistRecord? {
        try await connection.query(
            "SELECT \(unescaped: PlaylistRecord.columns) FROM \(unescaped: PlaylistRecord.source) WHERE p.id = \(id)",
            logger: logger
        ).collect().first.map(PlaylistRecord.init(row:))
    }
}
