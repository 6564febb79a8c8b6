import Contracts
import Database
import Foundation
import HTTPTypes
import Identity
import Infrastructure
import Logging
import PostgresNIO
import ServiceKit

/// Reads and changes `social.comments`. Every change bumps the video's
/// `comments_version` in the same transaction, which retires its cached pages.
struct CommentRepository: Sendable {
    let database: OutboxDatabase
    var logger: Logger { database.logger }

    /// The video from social's read model, or nil when social does not know it.
    func video(_ id: UUID) async throws -> VideoEntry? {
        try await database.rows("SELECT \(unescaped: VideoEntry.columns) FROM social.videos v \(unescaped: VideoEntry.joins) WHERE v.id = \(id)")
            .first.map(VideoEntry.init(row:))
    }

    func comment(_ id: UUID) async throws -> CommentRecord? {
        try await database.rows("SELECT \(unescaped: CommentRecord.columns) FROM \(unescaped: CommentRecord.source) WHERE c.id = \(id)")
            .first.map(CommentRecord.init(row:))
    }

    /// A page of top-level comments in `sort` order, each with its replies oldest first.
    func page(of videoID: UUID, sort: CommentSort, page: PageRequest) async throws -> CommentPage {
        try await database.postgres.withLeasedConnection { connection in
            var comments = try await connection.query("""
                SELECT \(unescaped: CommentRecord.columns) FROM \(unescaped: CommentRecord.source)
                WHERE c.video_id = \(videoID) AND c.parent_id IS NULL
                ORDER BY \(unescaped: sort.orderBy) LIMIT \(page.limit) OFFSET \(page.skip)
                """, logger: logger).collect().map(CommentRecord.init(row:))
            let total = try await connection.query("""
                SELECT count(*) FROM social.comments WHERE video_id = \(videoID) AND parent_id IS NULL
                """, logger: logger).collect().first?.decode(Int.self) ?? 0
            let parents = comments.filter { $0.replyCount > 0 }.map(\.id)
            if !parents.isEmpty {
                let replies = try await connection.query("""
                    SELECT \(unescaped: CommentRecord.columns) FROM \(unescaped: CommentRecord.source)
                    WHERE c.parent_id = ANY(\(parents)) ORDER BY c.created_at ASC, c.id
                    """, logger: logger).collect().map(CommentRecord.init(row:))
                let byParent = Dictionary(grouping: replies, by: { $0.parentID })
                for index in comments.indices where comments[index].replyCount > 0 {
                    comments[index].replies = byParent[comments[index].id] ?? []
                }
            }
            return CommentPage(comments: comments, total: total)
        }
    }

    /// Every comment and reply with a timestamp, counted per second, ascending.
    func markers(of videoID: UUID) async throws -> [CommentMarker] {
        try await database.rows("""
            SELECT timestamp_seconds, count(*) FROM social.comments
            WHERE video_id = \(videoID) AND timestamp_seconds IS NOT NULL
            GROUP BY timestamp_seconds ORDER BY timestamp_seconds
            """).map { row in
            let (seconds, count) = try row.decode((Int32, Int).self)
            return CommentMarker(seconds: Int(seconds), count: count)
        }
    }

    /// Writes a comment (or a reply to `parentID`) at `now` and announces it.
    func create(
        on video: VideoEntry, by author: Identity, content: String, timestampSeconds: Int?, parentID: UUID?, at now: Date
    ) async throws -> CommentRecord {
        let id = UUID()
        return try await database.transaction { connection in
            // The video's row first, as a deleted video's removal takes it first (no deadlock).
            try await bumpVersion(of: video.id, on: connection, missing: APIError(.notFound, "Video not found: \(video.id.apiString)"))
            var parentAuthor: UUID?
            if let parentID {
                let rows = try await connection.query(
                    "SELECT video_id, parent_id, user_id FROM social.comments WHERE id = \(parentID) FOR SHARE", logger: logger
                ).collect()
                guard let row = rows.first else { throw APIError(.notFound, "Comment not found: \(parentID.apiString)") }
                let (parentVideo, grandparent, author) = try row.decode((UUID, UUID?, UUID).self)
                guard parentVideo == video.id else { throw APIError(.badRequest, "Parent comment must belong to the same video") }
                guard grandparent == nil else { throw APIError(.badRequest, "Nested replies are not supported") }
                parentAuthor = author
            }
            try await SocialReadModels.recordCaller(author, on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO social.comments (id, video_id, user_id, parent_id, content, timestamp_seconds, created_at, updated_at)
                VALUES (\(id), \(video.id), \(author.userID), \(parentID), \(content),
                    \(timestampSeconds.map(Int32.init(clamping:))), \(now), \(now))
                """, logger: logger)
            let comment = try await reread(id, on: connection)
            try await database.enqueue(CommentCreated(
                commentID: id, videoID: video.id, videoShortID: video.shortID, videoTitle: video.title,
                videoOwnerID: video.uploadedBy, authorID: author.userID, authorUsername: comment.authorUsername,
                content: content, timestampSeconds: timestampSeconds, parentID: parentID, parentAuthorID: parentAuthor
            ), on: connection)
            return comment
        }
    }

    /// Replaces the text; nil when the comment is gone.
    func edit(_ comment: CommentRecord, content: String, at now: Date) async throws -> CommentRecord? {
        try await database.transaction { connection in
            try await bumpVersion(of: comment.videoID, on: connection, missing: APIError(.notFound, "Comment not found: \(comment.id.apiString)"))
            let rows = try await connection.query("""
                UPDATE social.comments SET content = \(content), updated_at = \(now) WHERE id = \(comment.id) RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return nil }
            return try await reread(comment.id, on: connection)
        }
    }

    /// Deletes the comment and its replies; false when it was already gone.
    func delete(_ comment: CommentRecord) async throws -> Bool {
        try await database.transaction { connection in
            try await bumpVersion(of: comment.videoID, on: connection, missing: APIError(.notFound, "Comment not found: \(comment.id.apiString)"))
            let rows = try await connection.query(
                "DELETE FROM social.comments WHERE id = \(comment.id) RETURNING id", logger: logger).collect()
            return !rows.isEmpty
        }
    }

    /// Takes the video's row lock before any comment's, in the order the removal of a deleted video
    /// takes them, so the two never deadlock and no comment outlives its video.
    private func bumpVersion(of videoID: UUID, on connection: PostgresConnection, missing: APIError) async throws {
        let rows = try await connection.query(
            "UPDATE social.videos SET comments_version = comments_version + 1 WHERE id = \(videoID) RETURNING id",
            logger: logger).collect()
        guard !rows.isEmpty else { throw missing }
    }

    private func reread(_ id: UUID, on connection: PostgresConnection) async throws -> CommentRecord {
        let rows = try await connection.query(
            "SELECT \(unescaped: CommentRecord.columns) FROM \(unescaped: CommentRecord.source) WHERE c.id = \(id)",
            logger: logger).collect()
        guard let row = rows.first else { throw APIError(.notFound, "Comment not found: \(id.apiString)") }
        return try CommentRecord(row: row)
    }
}
