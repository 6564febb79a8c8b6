import Foundation
import Hummingbird
import ServiceKit

/// The `Video` shape of the API (§2): every key always present, `null` when empty,
/// plus `processing_progress` (Part A). `view_count` is the caller's view of it:
/// the stored count plus the views not yet flushed from Redis.
struct VideoBody: ResponseEncodable {
    let video: VideoRecord
    let viewCount: Int64

    init(_ video: VideoRecord, viewCount: Int64? = nil) {
        self.video = video
        self.viewCount = viewCount ?? video.viewCount
    }

    enum Keys: String, CodingKey {
        case id, title, description, filename
        case shortID = "short_id", thumbnailFilename = "thumbnail_filename", originalFilename = "original_filename"
        case storagePath = "storage_path", fileSizeBytes = "file_size_bytes", durationSeconds = "duration_seconds"
        case uploadedBy = "uploaded_by", categoryID = "category_id", viewCount = "view_count"
        case processingStatus = "processing_status", processingProgress = "processing_progress"
        case errorMessage = "error_message", createdAt = "created_at", uploaderUsername = "uploader_username"
        case categoryName = "category_name", categorySlug = "category_slug"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(video.id.apiString, forKey: .id)
        try c.encode(video.shortID, forKey: .shortID)
        try c.encode(video.title, forKey: .title)
        try c.encode(video.description, forKey: .description)
        try c.encode(video.filename, forKey: .filename)
        try c.encode(video.thumbnailFilename, forKey: .thumbnailFilename)
        try c.encode(video.originalFilename, forKey: .originalFilename)
        try c.encode(video.outputFormat == nil ? nil : video.outputFolder, forKey: .storagePath)
        try c.encode(video.fileSizeBytes, forKey: .fileSizeBytes)
        try c.encode(video.durationSeconds, forKey: .durationSeconds)
        try c.encode(video.uploadedBy.apiString, forKey: .uploadedBy)
        try c.encode(video.categoryID?.apiString, forKey: .categoryID)
        try c.encode(viewCount, forKey: .viewCount)
        try c.encode(video.status.rawValue, forKey: .processingStatus)
        try c.encode(video.progress, forKey: .processingProgress)
        try c.encode(video.errorMessage, forKey: .errorMessage)
        try c.encode(video.createdAt, forKey: .createdAt)
        try c.encode(video.uploaderUsername, forKey: .uploaderUsername)
        try c.encode(video.categoryName, forKey: .categoryName)
        try c.encode(video.categorySlug, forKey: .categorySlug)
    }
}

/// `{"videos": [...], "total": n}`.
struct VideoListBody: ResponseEncodable {
    let videos: [VideoBody]
    let total: Int
}
