import Foundation
import PostgresNIO

/// One comment with its author's name and avatar; a top-level one also carries
/// its replies (oldest first) when read for a list. Codable, so pages can be cached.
struct CommentRecord: Codable, Sendable, Equatable {
    var id: UUID
    var videoID: UUID
    var userID: UUID
    var parentID: UUID?
    var content: String
    var timestampSeconds: Int?
    var createdAt: Date
    var updatedAt: Date
    var authorUsername: String
    var authorAvatarURL: String?
    var replyCount: Int
    var replies: [CommentRecord]?

    /// The select list, `c` being `social.comments`.
    static let columns = """
        c.id, c.video_id, c.user_id, c.parent_id, c.content, c.timestamp_seconds, c.created_at, c.updated_at,
        coalesce(u.username, '') AS author_username, u.avatar_url AS author_avatar_url,
        CASE WHEN c.parent_id IS NULL
             THEN (SELECT count(*) FROM social.comments r WHERE r.parent_id = c.id) ELSE 0 END AS reply_count
        """

    static let source = "social.comments c LEFT JOIN social.users u ON u.user_id = c.user_id"
}

extension CommentRecord {
    /// A row of ``columns`` (an extension, so the memberwise initializer stays).
    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["id"].decode(UUID.self)
        videoID = try r["video_id"].decode(UUID.self)
        userID = try r["user_id"].decode(UUID.self)
        parentID = try r["parent_id"].decode(UUID?.self)
        content = try r["content"].decode(String.self)
        timestampSeconds = try r["timestamp_seconds"].decode(Int32?.self).map(Int.init)
        createdAt = try r["created_at"].decode(Date.self)
        updatedAt = try r["updated_at"].decode(Date.self)
        authorUsername = try r["author_username"].decode(String.self)
        authorAvatarURL = try r["author_avatar_url"].decode(String?.self)
        replyCount = try r["reply_count"].decode(Int.self)
        replies = nil
    }
}

/// A page of a video's top-level comments (with their replies) and how many there are.
struct CommentPage: Codable, Sendable, Equatable {
    var comments: [CommentRecord]
    var total: Int
}

/// A second of the video and how many comments point at it.
struct CommentMarker: Codable, Sendable, Equatable {
    var seconds: Int
    var count: Int
}
