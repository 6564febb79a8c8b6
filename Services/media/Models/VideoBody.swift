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

    func encode(to encoder: any Encoder) throws {
        try APIVideo(
            id: video.id, shortID: video.shortID, title: video.title, description: video.description,
            filename: video.filename, thumbnailFilename: video.thumbnailFilename, originalFilename: video.originalFilename,
            storagePath: video.outputFormat == nil ? nil : video.outputFolder, fileSizeBytes: video.fileSizeBytes,
            durationSeconds: video.durationSeconds, uploadedBy: video.uploadedBy, categoryID: video.categoryID,
            viewCount: viewCount, processingStatus: video.status.rawValue, processingProgress: video.progress,
            errorMessage: video.errorMessage, createdAt: video.createdAt, uploaderUsername: video.uploaderUsername,
            categoryName: video.categoryName, categorySlug: video.categorySlug
        ).encode(to: encoder)
    }
}

/// `{"videos": [...], "total": n}`.
struct VideoListBody: ResponseEncodable {
    let videos: [VideoBody]
    let total: Int
}
