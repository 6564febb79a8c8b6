import Contracts
import Foundation
import ImportKit
import Logging
import Messaging
import NIOPosix
import PostgresNIO
import ServiceKit

/// Writes an original Clipset's videos into `media` with their files in Clipset's layout
/// (`videos/<id>/`: the HLS tree or `video.mp4`, and `thumbnail.jpg`), keeping ids, short
/// ids, view counts and statuses; a video still waiting for processing gets its upload in
/// `originals/` and a transcode job. Each new video is announced (`media.video.created`,
/// with its full snapshot) so the other services' read models and counts follow, and each
/// user's weekly upload counter is carried over (`media.quota.changed`). One transaction;
/// files are copied inside it, before the commit publishes any job.
struct MediaImporter: Sendable {
    let options: ImportOptions
    let outbox: Outbox
    let root: MediaRoot
    let jobAttempts: Int
    let logger: Logger
    let progress = ImportProgress(service: "media")

    func run(_ document: ImportDocument, client: PostgresClient) async throws -> ImportReport {
        try await ImportSession.transaction(client, dryRun: options.dryRun, logger: logger) { connection in
            var report = ImportReport(service: "media", dryRun: options.dryRun)
            let slugs = Dictionary(document.categories.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
            for user in document.users {
                try await MediaReadModels.recordUser(user.id, username: user.username.lowercased(), at: user.createdAt, connection, logger)
            }
            for (index, video) in document.videos.enumerated() {
                try await importVideo(video, categorySlugs: slugs, on: connection, report: &report)
                progress.count("videos", index + 1, of: document.videos.count, every: 20)
            }
            for user in document.users {
                try await importQuota(user, on: connection, report: &report)
            }
            let present = try await connection.query(
                "SELECT count(*) FROM media.videos WHERE id = ANY(\(document.videos.map(\.id)))", logger: logger).collect()
            report.update("videos") { $0.present = (try? present.first?.decode(Int.self)) ?? 0 }
            return report
        }
    }

    // MARK: - Videos

    private func importVideo(
        _ video: ImportDocument.Video, categorySlugs: [UUID: String], on connection: PostgresConnection,
        report: inout ImportReport
    ) async throws {
        let slot = try await ImportSlot.find(
            "SELECT id = \(video.id) FROM media.videos WHERE id = \(video.id) OR short_id = \(video.shortID)",
            on: connection, logger: logger)
        guard report.admit(slot, "videos", conflict: "\(video.id): short id \(video.shortID) belongs to another video") else { return }
        guard ShortID.isWellFormed(video.shortID) else {
            return report.skip("videos", "\(video.id): '\(video.shortID)' is not a 10-character short id")
        }
        let category = try await category(video.categoryID, slug: video.categoryID.flatMap { categorySlugs[$0] }, on: connection)
        var row = ImportedVideo(video: video, category: category)
        switch video.processingStatus {
        case "completed": try await placeOutputs(video, into: &row, report: &report)
        case "pending", "processing": try await placeUpload(video, into: &row, report: &report)
        default: row.status = "failed"
        }
        try await row.insert(on: connection, logger: logger)
        if row.status == "pending" {
            let jobID = UUID()
            try await connection.query(
                "INSERT INTO media.jobs (id, video_id, kind, max_attempts) VALUES (\(jobID), \(video.id), 'transcode', \(jobAttempts))",
                logger: logger)
            _ = try await outbox.enqueue(JobRequested(jobID: jobID, kind: "transcode", videoID: video.id), on: connection, logger: logger)
        }
        let rows = try await connection.query(
            "SELECT \(unescaped: VideoRecord.columns) FROM \(unescaped: VideoRecord.source) WHERE v.id = \(video.id)", logger: logger
        ).collect()
        guard let record = try rows.first.map(VideoRecord.init(row:)) else { return }
        _ = try await outbox.enqueue(
            VideoCreated(videoID: record.id, uploadedBy: record.uploadedBy, video: record.snapshot), on: connection, logger: logger)
        report.update("videos") { $0.imported += 1 }
    }

    /// The category as media knows it: the same id, or (a category merged into an existing
    /// Clipset one) the one with the same slug; else the id, which social's event brings.
    private func category(_ id: UUID?, slug: String?, on connection: PostgresConnection) async throws -> UUID? {
        guard let id else { return nil }
        let rows = try await connection.query("""
            SELECT category_id FROM media.categories WHERE category_id = \(id) OR slug = \(slug ?? "")
            ORDER BY category_id = \(id) DESC LIMIT 1
            """, logger: logger).collect()
        return try rows.first?.decode(UUID.self) ?? id
    }

    /// A processed video's outputs into `videos/<id>/`: an HLS folder (with `master.m3u8`) or a
    /// progressive file, and its thumbnail. Without them the video is imported as failed.
    private func placeOutputs(_ video: ImportDocument.Video, into row: inout ImportedVideo, report: inout ImportReport) async throws {
        let folder = URL(fileURLWithPath: root.path("videos/\(video.id.apiString)"))
        let candidates = [video.filename, video.storagePath.map { ($0 as NSString).lastPathComponent }].compactMap { $0 }
        let sources = candidates.compactMap { options.sourceFile("videos", $0) }
        let dryRun = options.dryRun
        let placed: (format: String, bytes: Int64)? = try await NIOThreadPool.singleton.runIfActive {
            for source in sources {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue, FileManager.default.fileExists(atPath: source.appendingPathComponent("master.m3u8").path) {
                    if !dryRun { try ImportFiles.copy(source, to: folder) }
                    return ("hls", ImportFiles.size(of: source))
                }
                if !isFolder.boolValue {
                    if !dryRun { try ImportFiles.copy(source, to: folder.appendingPathComponent("video.mp4")) }
                    return ("progressive", ImportFiles.size(of: source))
                }
            }
            return nil
        }
        guard let placed else {
            row.status = "failed"
            row.errorMessage = "The video's files were not found when it was imported from the original Clipset."
            report.problems.append("videos: \(video.id) (\(video.shortID)) is completed in the source but \(video.filename) is not in videos/; imported as failed")
            return
        }
        row.outputFormat = placed.format
        row.fileSizeBytes = placed.bytes
        row.status = "completed"
        row.progress = 100
        if let thumbnail = options.sourceFile("thumbnails", video.thumbnailFilename) {
            try await NIOThreadPool.singleton.runIfActive {
                if !dryRun { try ImportFiles.copy(thumbnail, to: folder.appendingPathComponent("thumbnail.jpg")) }
            }
            row.thumbnailFilename = "thumbnail.jpg"
        } else if video.thumbnailFilename != nil {
            report.problems.append("videos: the thumbnail \(video.thumbnailFilename ?? "") of \(video.shortID) is missing; imported without it")
        }
    }

    /// An upload the original never processed: into `originals/`, to be transcoded now.
    private func placeUpload(_ video: ImportDocument.Video, into row: inout ImportedVideo, report: inout ImportReport) async throws {
        guard let source = options.sourceFile("videos", video.filename) ?? video.storagePath.flatMap({
            options.sourceFile("videos", ($0 as NSString).lastPathComponent)
        }) else {
            row.status = "failed"
            row.errorMessage = "The upload was not found when the video was imported from the original Clipset."
            report.problems.append("videos: \(video.id) (\(video.shortID)) waits for processing in the source but its upload \(video.filename) is missing; imported as failed")
            return
        }
        let ext = (source.lastPathComponent as NSString).pathExtension.lowercased()
        let name = "\(video.id.apiString)_imported.\(ext.isEmpty ? "mp4" : ext)"
        let target = URL(fileURLWithPath: root.path("originals/\(name)"))
        let dryRun = options.dryRun
        let bytes = try await NIOThreadPool.singleton.runIfActive {
            if !dryRun { try ImportFiles.copy(source, to: target) }
            return ImportFiles.size(of: source)
        }
        row.status = "pending"
        row.sourcePath = "originals/\(name)"
        row.uploadSizeBytes = bytes
        row.fileSizeBytes = bytes
    }

    // MARK: - Quotas

    private func importQuota(_ user: ImportDocument.User, on connection: PostgresConnection, report: inout ImportReport) async throws {
        report.update("quotas") { $0.source += 1 }
        let reset = user.lastUploadReset ?? user.createdAt
        let inserted = try await connection.query("""
            INSERT INTO media.quotas (user_id, weekly_upload_bytes, last_upload_reset)
            VALUES (\(user.id), \(max(0, user.weeklyUploadBytes)), \(reset))
            ON CONFLICT (user_id) DO NOTHING RETURNING user_id
            """, logger: logger).collect()
        if inserted.isEmpty { return report.update("quotas") { $0.existing += 1; $0.present += 1 } }
        _ = try await outbox.enqueue(
            QuotaChanged(userID: user.id, weeklyUploadBytes: max(0, user.weeklyUploadBytes), lastUploadReset: reset),
            on: connection, logger: logger)
        report.update("quotas") { $0.imported += 1; $0.present += 1 }
    }
}
