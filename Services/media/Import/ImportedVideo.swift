import Foundation
import ImportKit
import Logging
import PostgresNIO
import ServiceKit

/// The `media.videos` row an imported video becomes.
struct ImportedVideo: Sendable {
    let video: ImportDocument.Video
    let category: UUID?
    var status: String
    var progress = 0
    var errorMessage: String?
    var outputFormat: String?
    var thumbnailFilename: String?
    var sourcePath: String?
    var uploadSizeBytes: Int64
    var fileSizeBytes: Int64

    init(video: ImportDocument.Video, category: UUID?) {
        self.video = video
        self.category = category
        status = video.processingStatus
        errorMessage = video.errorMessage.map { String($0.prefix(500)) }
        uploadSizeBytes = max(0, video.fileSizeBytes)
        fileSizeBytes = max(0, video.fileSizeBytes)
    }

    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        let error = status == "failed" ? (errorMessage ?? "Processing failed.") : nil
        let filename = status == "completed" ? video.id.apiString : (sourcePath.map { ($0 as NSString).lastPathComponent } ?? video.filename)
        try await connection.query("""
            INSERT INTO media.videos (id, short_id, title, description, filename, original_filename, source_path,
                upload_size_bytes, file_size_bytes, thumbnail_filename, duration_seconds, uploaded_by, category_id,
                view_count, processing_status, processing_progress, error_message, output_format, created_at, updated_at)
            VALUES (\(video.id), \(video.shortID), \(video.title), \(video.description), \(filename), \(video.originalFilename),
                \(sourcePath), \(uploadSizeBytes), \(fileSizeBytes), \(thumbnailFilename), \(video.durationSeconds),
                \(video.uploadedBy), \(category), \(max(0, video.viewCount)), \(status), \(progress), \(error), \(outputFormat),
                \(video.createdAt), \(video.createdAt))
            """, logger: logger)
    }
}
