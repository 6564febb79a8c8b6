import Contracts
import Foundation
import Infrastructure
import Logging
import Messaging
import PostgresNIO

/// What a job's end does to its video's row, and the event that says so, on the job's
/// transaction's connection.
struct VideoOutcome: Sendable {
    let videos: VideoRepository
    var database: MediaDatabase { videos.database }
    var logger: Logger { videos.logger }

    /// The transcode started: `processing` from 0 (a completed video, being migrated, stays completed).
    func started(_ videoID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE media.videos SET processing_status = 'processing', processing_progress = 0, error_message = NULL,
                updated_at = clock_timestamp()
            WHERE id = \(videoID) AND processing_status <> 'completed'
            """, logger: logger)
    }

    /// The outputs are in place: the row describes them and `media.video.processed` goes out.
    func completed(_ videoID: UUID, outputs: PublishedOutputs, on connection: PostgresConnection) async throws {
        let renditions = String(decoding: try JSONEncoder().encode(outputs.renditions), as: UTF8.self)
        try await connection.query("""
            UPDATE media.videos SET processing_status = 'completed', processing_progress = 100, error_message = NULL,
                output_format = \(outputs.format), renditions = \(renditions)::jsonb,
                duration_seconds = \(outputs.durationSeconds), width = \(outputs.width), height = \(outputs.height),
                file_size_bytes = \(outputs.totalBytes), thumbnail_filename = \(outputs.thumbnailName),
                storyboard_filename = \(outputs.storyboardName), source_path = NULL, updated_at = clock_timestamp()
            WHERE id = \(videoID)
            """, logger: logger)
        guard let video = try await videos.video(id: videoID, on: connection) else { return }
        try await database.outbox.enqueue(VideoProcessed(video: video.snapshot), on: connection, logger: logger)
    }

    /// The video cannot be processed: `failed` with a message for its uploader and
    /// `media.video.failed`. A video that plays already (a failed migration) keeps playing.
    func failed(_ videoID: UUID, message: String, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            UPDATE media.videos SET processing_status = 'failed', error_message = \(message), updated_at = clock_timestamp()
            WHERE id = \(videoID) AND processing_status <> 'completed'
            RETURNING id
            """, logger: logger).collect()
        guard !rows.isEmpty, let video = try await videos.video(id: videoID, on: connection) else { return }
        try await database.outbox.enqueue(VideoFailed(video: video.snapshot), on: connection, logger: logger)
    }
}

/// What a finished job put in the video's folder, as the row records it.
struct PublishedOutputs: Sendable {
    var format: String
    var renditions: [Rendition]
    var durationSeconds: Int
    var width: Int
    var height: Int
    var totalBytes: Int64
    var thumbnailName: String?
    var storyboardName: String?
}
