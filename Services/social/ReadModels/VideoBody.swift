import Foundation
import ServiceKit

/// The API's `Video` shape (§2) of a video in a playlist, from social's read model
/// (without `processing_progress`, which only media knows).
struct VideoBody: Encodable, Sendable {
    let video: VideoEntry

    func encode(to encoder: any Encoder) throws {
        try APIVideo(
            id: video.id, shortID: video.shortID, title: video.title, description: video.description,
            filename: video.filename, thumbnailFilename: video.thumbnailFilename, originalFilename: video.originalFilename,
            storagePath: video.storagePath, fileSizeBytes: video.fileSizeBytes, durationSeconds: video.durationSeconds,
            uploadedBy: video.uploadedBy, categoryID: video.categoryID, viewCount: video.viewCount,
            processingStatus: video.processingStatus, processingProgress: nil, errorMessage: video.errorMessage,
            createdAt: video.createdAt, uploaderUsername: video.uploaderUsername, categoryName: video.categoryName,
            categorySlug: video.categorySlug
        ).encode(to: encoder)
    }
}
