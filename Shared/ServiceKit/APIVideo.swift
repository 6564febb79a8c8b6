import Foundation

/// The API's `Video` shape (§2), as media answers it and as social embeds it in
/// playlists: every key always present, `null` when empty; `processing_progress`
/// (Part A) only where the service knows it.
package struct APIVideo: Encodable, Sendable {
    package var id: UUID
    package var shortID: String
    package var title: String
    package var description: String?
    package var filename: String
    package var thumbnailFilename: String?
    package var originalFilename: String
    package var storagePath: String?
    package var fileSizeBytes: Int64
    package var durationSeconds: Int?
    package var uploadedBy: UUID
    package var categoryID: UUID?
    package var viewCount: Int64
    package var processingStatus: String
    package var processingProgress: Int?
    package var errorMessage: String?
    package var createdAt: Date
    package var uploaderUsername: String
    package var categoryName: String?
    package var categorySlug: String?

    package init(
        id: UUID, shortID: String, title: String, description: String?, filename: String, thumbnailFilename: String?,
        originalFilename: String, storagePath: String?, fileSizeBytes: Int64, durationSeconds: Int?, uploadedBy: UUID,
        categoryID: UUID?, viewCount: Int64, processingStatus: String, processingProgress: Int?, errorMessage: String?,
        createdAt: Date, uploaderUsername: String, categoryName: String?, categorySlug: String?
    ) {
        self.id = id
        self.shortID = shortID
        self.title = title
        self.description = description
        self.filename = filename
        self.thumbnailFilename = thumbnailFilename
        self.originalFilename = originalFilename
        self.storagePath = storagePath
        self.fileSizeBytes = fileSizeBytes
        self.durationSeconds = durationSeconds
        self.uploadedBy = uploadedBy
        self.categoryID = categoryID
        self.viewCount = viewCount
        self.processingStatus = processingStatus
        self.processingProgress = processingProgress
        self.errorMessage = errorMessage
        self.createdAt = createdAt
        self.uploaderUsername = uploaderUsername
        self.categoryName = categoryName
        self.categorySlug = categorySlug
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

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id.apiString, forKey: .id)
        try c.encode(shortID, forKey: .shortID)
        try c.encode(title, forKey: .title)
        try c.encode(description, forKey: .description)
        try c.encode(filename, forKey: .filename)
        try c.encode(thumbnailFilename, forKey: .thumbnailFilename)
        try c.encode(originalFilename, forKey: .originalFilename)
        try c.encode(storagePath, forKey: .storagePath)
        try c.encode(fileSizeBytes, forKey: .fileSizeBytes)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(uploadedBy.apiString, forKey: .uploadedBy)
        try c.encode(categoryID?.apiString, forKey: .categoryID)
        try c.encode(viewCount, forKey: .viewCount)
        try c.encode(processingStatus, forKey: .processingStatus)
        try c.encodeIfPresent(processingProgress, forKey: .processingProgress)
        try c.encode(errorMessage, forKey: .errorMessage)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(uploaderUsername, forKey: .uploaderUsername)
        try c.encode(categoryName, forKey: .categoryName)
        try c.encode(categorySlug, forKey: .categorySlug)
    }
}
