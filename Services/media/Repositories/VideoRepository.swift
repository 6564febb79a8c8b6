import Contracts
import Database
import Foundation
import Identity
import Infrastructure
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Reads and changes `media.videos`; every change commits with its event (outbox).
struct VideoRepository: Sendable {
    let database: MediaDatabase
    var logger: Logger { database.logger }

    /// The video with `shortID`, or nil.
    func video(shortID: String) async throws -> VideoRecord? {
        guard ShortID.isWellFormed(shortID) else { return nil }
        let rows = try await database.postgres.rows(
            "SELECT \(unescaped: VideoRecord.columns) FROM \(unescaped: VideoRecord.source) WHERE v.short_id = \(shortID)",
            logger: logger)
        return try rows.first.map(VideoRecord.init(row:))
    }

    /// The video with `id`, or nil.
    func video(id: UUID) async throws -> VideoRecord? {
        try await database.postgres.withLeasedConnection { try await video(id: id, on: $0) }
    }

    func video(id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> VideoRecord? {
        let rows = try await connection.query("""
            SELECT \(unescaped: VideoRecord.columns) FROM \(unescaped: VideoRecord.source) WHERE v.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF v" : "")
            """, logger: logger).collect()
        return try rows.first.map(VideoRecord.init(row:))
    }

    /// One page of the videos `viewer` may see, and how many match in all.
    func list(_ query: VideoListQuery, viewer: Identity) async throws -> (videos: [VideoRecord], total: Int) {
        let (filter, binds) = query.filter(for: viewer)
        var pageBinds = binds
        pageBinds.append(query.page.limit)
        pageBinds.append(query.page.skip)
        let page = PostgresQuery(unsafeSQL: """
            SELECT \(VideoRecord.columns) FROM \(VideoRecord.source) WHERE \(filter)
            ORDER BY \(query.orderBy) LIMIT $\(binds.count + 1) OFFSET $\(binds.count + 2)
            """, binds: pageBinds)
        let count = PostgresQuery(unsafeSQL: "SELECT count(*) FROM media.videos v WHERE \(filter)", binds: binds)
        return try await database.postgres.withLeasedConnection { connection in
            let videos = try await connection.query(page, logger: logger).collect().map(VideoRecord.init(row:))
            var total = 0
            for try await value in try await connection.query(count, logger: logger).decode(Int.self) { total = value }
            return (videos, total)
        }
    }

    /// Applies `change` to the video and announces it; nil when the video is gone.
    func update(id: UUID, _ change: VideoChange) async throws -> VideoRecord? {
        try await database.transaction { connection in
            guard try await video(id: id, on: connection, lock: true) != nil else { return nil }
            let setDescription = change.description != nil
            let setCategory = change.categoryID != nil
            try await connection.query("""
                UPDATE media.videos SET title = coalesce(\(change.title), title),
                    description = CASE WHEN \(setDescription) THEN \(change.description ?? nil) ELSE description END,
                    category_id = CASE WHEN \(setCategory) THEN \(change.categoryID ?? nil) ELSE category_id END,
                    updated_at = clock_timestamp()
                WHERE id = \(id)
                """, logger: logger)
            guard let updated = try await video(id: id, on: connection) else { return nil }
            try await database.outbox.enqueue(VideoUpdated(video: updated.snapshot), on: connection, logger: logger)
            return updated
        }
    }

    /// Deletes the row (its jobs go with it) and announces it; false when it was already gone.
    func delete(_ video: VideoRecord) async throws -> Bool {
        try await database.transaction { connection in
            let rows = try await connection.query(
                "DELETE FROM media.videos WHERE id = \(video.id) RETURNING id", logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await database.outbox.enqueue(VideoDeleted(videoID: video.id, uploadedBy: video.uploadedBy), on: connection, logger: logger)
            return true
        }
    }
}

/// The fields a PATCH sets; a nil field is left alone, `.some(nil)` clears it.
struct VideoChange: Sendable {
    var title: String?
    var description: String??
    var categoryID: UUID??
}

extension VideoRecord {
    /// What other services keep of the video.
    var snapshot: VideoSnapshot {
        VideoSnapshot(
            id: id, shortID: shortID, title: title, uploadedBy: uploadedBy, categoryID: categoryID,
            processingStatus: status.rawValue, thumbnailFilename: thumbnailFilename, durationSeconds: durationSeconds,
            errorMessage: errorMessage, createdAt: createdAt,
            details: VideoDetails(
                description: description, filename: filename, originalFilename: originalFilename,
                storagePath: outputFormat == nil ? nil : outputFolder, fileSizeBytes: fileSizeBytes, viewCount: viewCount))
    }
}

extension VideoRepository {
    /// Whether media knows the category (from social's events).
    func categoryExists(_ id: UUID) async throws -> Bool {
        try await database.postgres.withLeasedConnection { connection in
            try await MediaReadModels.categoryExists(id, on: connection, logger: logger)
        }
    }
}
