import Foundation
import Identity
import PostgresNIO

/// A video as social knows it from media's events, with its uploader's name and
/// its category from social's own tables.
struct VideoEntry: Sendable, Equatable {
    var id: UUID
    var shortID: String
    var title: String
    var description: String?
    var filename: String
    var originalFilename: String
    var storagePath: String?
    var fileSizeBytes: Int64
    var thumbnailFilename: String?
    var durationSeconds: Int?
    var uploadedBy: UUID
    var categoryID: UUID?
    var viewCount: Int64
    var processingStatus: String
    var errorMessage: String?
    var createdAt: Date
    var uploaderUsername: String
    var categoryName: String?
    var categorySlug: String?
    /// Bumped by every change of the video's comments: the key of their cached pages.
    var commentsVersion: Int64

    /// The select list of every read, `v` being `social.videos`.
    static let columns = """
        v.id, v.short_id, v.title, v.description, v.filename, v.original_filename, v.storage_path,
        v.file_size_bytes, v.thumbnail_filename, v.duration_seconds, v.uploaded_by, v.category_id, v.view_count,
        v.processing_status, v.error_message, v.created_at, v.comments_version,
        coalesce(vu.username, '') AS uploader_username, vc.name AS category_name, vc.slug AS category_slug
        """

    /// The joins matching ``columns``.
    static let joins = """
        LEFT JOIN social.users vu ON vu.user_id = v.uploaded_by
        LEFT JOIN social.categories vc ON vc.id = v.category_id
        """

    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["id"].decode(UUID.self)
        shortID = try r["short_id"].decode(String.self)
        title = try r["title"].decode(String.self)
        description = try r["description"].decode(String?.self)
        filename = try r["filename"].decode(String.self)
        originalFilename = try r["original_filename"].decode(String.self)
        storagePath = try r["storage_path"].decode(String?.self)
        fileSizeBytes = try r["file_size_bytes"].decode(Int64.self)
        thumbnailFilename = try r["thumbnail_filename"].decode(String?.self)
        durationSeconds = try r["duration_seconds"].decode(Int32?.self).map(Int.init)
        uploadedBy = try r["uploaded_by"].decode(UUID.self)
        categoryID = try r["category_id"].decode(UUID?.self)
        viewCount = try r["view_count"].decode(Int64.self)
        processingStatus = try r["processing_status"].decode(String.self)
        errorMessage = try r["error_message"].decode(String?.self)
        createdAt = try r["created_at"].decode(Date.self)
        commentsVersion = try r["comments_version"].decode(Int64.self)
        uploaderUsername = try r["uploader_username"].decode(String.self)
        categoryName = try r["category_name"].decode(String?.self)
        categorySlug = try r["category_slug"].decode(String?.self)
    }

    /// The original's visibility rule (API §3.5): completed videos, one's own in
    /// any state, everything for admins.
    func isVisible(to identity: Identity) -> Bool {
        identity.isAdmin || uploadedBy == identity.userID || processingStatus == "completed"
    }
}
