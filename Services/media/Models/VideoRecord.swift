import Foundation
import PostgresNIO
import ServiceKit

/// One row of `media.videos`, with its uploader's name and its category from
/// media's read models.
struct VideoRecord: Sendable, Equatable {
    var id: UUID
    var shortID: String
    var title: String
    var description: String?
    var filename: String
    var originalFilename: String
    var sourcePath: String?
    var uploadSizeBytes: Int64
    var fileSizeBytes: Int64
    var thumbnailFilename: String?
    var durationSeconds: Int?
    var uploadedBy: UUID
    var categoryID: UUID?
    var viewCount: Int64
    var status: ProcessingStatus
    var progress: Int
    var errorMessage: String?
    var outputFormat: String?
    var renditionsJSON: String
    var storyboardFilename: String?
    var createdAt: Date
    var uploaderUsername: String
    var categoryName: String?
    var categorySlug: String?

    /// The select list every read uses, `v` being `media.videos`.
    static let columns = """
        v.id, v.short_id, v.title, v.description, v.filename, v.original_filename, v.source_path,
        v.upload_size_bytes, v.file_size_bytes, v.thumbnail_filename, v.duration_seconds, v.uploaded_by,
        v.category_id, v.view_count, v.processing_status, v.processing_progress, v.error_message,
        v.output_format, v.renditions::text AS renditions, v.storyboard_filename, v.created_at,
        coalesce(u.username, '') AS uploader_username, c.name AS category_name, c.slug AS category_slug
        """

    /// The FROM clause matching ``columns``.
    static let source = """
        media.videos v LEFT JOIN media.users u ON u.user_id = v.uploaded_by
        LEFT JOIN media.categories c ON c.category_id = v.category_id
        """

    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["id"].decode(UUID.self)
        shortID = try r["short_id"].decode(String.self)
        title = try r["title"].decode(String.self)
        description = try r["description"].decode(String?.self)
        filename = try r["filename"].decode(String.self)
        originalFilename = try r["original_filename"].decode(String.self)
        sourcePath = try r["source_path"].decode(String?.self)
        uploadSizeBytes = try r["upload_size_bytes"].decode(Int64.self)
        fileSizeBytes = try r["file_size_bytes"].decode(Int64.self)
        thumbnailFilename = try r["thumbnail_filename"].decode(String?.self)
        durationSeconds = try r["duration_seconds"].decode(Int32?.self).map(Int.init)
        uploadedBy = try r["uploaded_by"].decode(UUID.self)
        categoryID = try r["category_id"].decode(UUID?.self)
        viewCount = try r["view_count"].decode(Int64.self)
        status = ProcessingStatus(rawValue: try r["processing_status"].decode(String.self)) ?? .failed
        progress = Int(try r["processing_progress"].decode(Int32.self))
        errorMessage = try r["error_message"].decode(String?.self)
        outputFormat = try r["output_format"].decode(String?.self)
        renditionsJSON = try r["renditions"].decode(String.self)
        storyboardFilename = try r["storyboard_filename"].decode(String?.self)
        createdAt = try r["created_at"].decode(Date.self)
        uploaderUsername = try r["uploader_username"].decode(String.self)
        categoryName = try r["category_name"].decode(String?.self)
        categorySlug = try r["category_slug"].decode(String?.self)
    }

    /// Whether `viewer` may see the video in lists and play it (API §3.5):
    /// completed videos, one's own in any state, everything for admins.
    func isVisible(to userID: UUID, isAdmin: Bool) -> Bool {
        isAdmin || uploadedBy == userID || status == .completed
    }

    /// Whether `userID` may change or delete it: its uploader or an admin.
    func isManageable(by userID: UUID, isAdmin: Bool) -> Bool {
        isAdmin || uploadedBy == userID
    }

    /// The folder of its outputs, relative to the media root.
    var outputFolder: String { "videos/\(id.apiString)" }
}
