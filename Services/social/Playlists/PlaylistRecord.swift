import Foundation
import PostgresNIO

/// One row of `social.playlists` with its creator's name, its size and the
/// thumbnail of its first video (by position) that has one.
struct PlaylistRecord: Sendable, Equatable {
    var id: UUID
    var shortID: String
    var name: String
    var description: String?
    var createdBy: UUID
    var creatorUsername: String
    var videoCount: Int
    var createdAt: Date
    var updatedAt: Date
    var firstVideoThumbnail: String?

    /// The select list of every read, `p` being `social.playlists`.
    static let columns = """
        p.id, p.short_id, p.name, p.description, p.created_by, p.created_at, p.updated_at,
        coalesce(pu.username, '') AS creator_username,
        (SELECT count(*) FROM social.playlist_entries e WHERE e.playlist_id = p.id) AS video_count,
        (SELECT v.thumbnail_filename FROM social.playlist_entries e JOIN social.videos v ON v.id = e.video_id
         WHERE e.playlist_id = p.id AND v.thumbnail_filename IS NOT NULL ORDER BY e.position LIMIT 1) AS first_video_thumbnail
        """

    /// The FROM clause matching ``columns``.
    static let source = "social.playlists p LEFT JOIN social.users pu ON pu.user_id = p.created_by"

    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["id"].decode(UUID.self)
        shortID = try r["short_id"].decode(String.self)
        name = try r["name"].decode(String.self)
        description = try r["description"].decode(String?.self)
        createdBy = try r["created_by"].decode(UUID.self)
        createdAt = try r["created_at"].decode(Date.self)
        updatedAt = try r["updated_at"].decode(Date.self)
        creatorUsername = try r["creator_username"].decode(String.self)
        videoCount = try r["video_count"].decode(Int.self)
        firstVideoThumbnail = try r["first_video_thumbnail"].decode(String?.self)
    }
}

/// One video of a playlist, with the video as social knows it.
struct PlaylistEntryRecord: Sendable, Equatable {
    var id: UUID
    var playlistID: UUID
    var position: Int
    var addedAt: Date
    var addedBy: UUID?
    var video: VideoEntry

    /// The select list, `e` being `social.playlist_entries` joined to `v`, `social.videos`.
    static let columns = "e.id AS entry_id, e.playlist_id, e.position, e.added_at, e.added_by, \(VideoEntry.columns)"
    static let source = "social.playlist_entries e JOIN social.videos v ON v.id = e.video_id \(VideoEntry.joins)"

    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["entry_id"].decode(UUID.self)
        playlistID = try r["playlist_id"].decode(UUID.self)
        position = Int(try r["position"].decode(Int32.self))
        addedAt = try r["added_at"].decode(Date.self)
        addedBy = try r["added_by"].decode(UUID?.self)
        video = try VideoEntry(row: row)
    }
}
