import Contracts
import Foundation
import HTTPTypes
import Identity
import Infrastructure
import Logging
import Messaging
import MediaProbe
import NIOPosix
import PostgresNIO
import ServiceKit

/// A file that has fully arrived, by any of the three ways in, and what its uploader said of it.
struct ReceivedUpload: Sendable {
    /// The video's id: a new one, or the tus upload's id so a repeated completion finds its video.
    var videoID = UUID()
    /// The absolute path of the received bytes; the intake moves the file away.
    var path: String
    var size: Int64
    var originalFilename: String
    var title: String
    var description: String?
    var categoryID: UUID?
}

/// Turns a received file into a pending video: size limit, magic bytes and probe, category,
/// then, in one transaction, the quota charge, the video row, its `transcode` job and the
/// events `media.video.created` and `media.job.requested` (ARCHITECTURE §5.1-2).
struct UploadIntake: Sendable {
    let root: MediaRoot
    let probe: MediaProbe
    let database: MediaDatabase
    let videos: VideoRepository
    let quotas: QuotaRepository
    let settings: RuntimeConfigRepository
    let threadPool: NIOThreadPool
    /// How many attempts a transcode job gets (`media.job.max.attempts`).
    let jobAttempts: Int

    var logger: Logger { database.logger }

    /// The limits now in force: (max file size, weekly bytes).
    func limits() async throws -> (maxFileSize: Int64, weeklyLimit: Int64) {
        let settings = try await settings.current().settings
        return (settings.maxFileSizeBytes, settings.weeklyUploadLimitBytes)
    }

    /// Refuses an upload of `size` bytes before a byte of it is stored: too large for one
    /// file (400) or over what is left of the week's quota (403).
    func checkAllowed(size: Int64, for userID: UUID) async throws {
        try await checkAllowed(size: size, for: userID, limits: try await limits())
    }

    /// ``checkAllowed(size:for:)`` with limits the caller has already read.
    func checkAllowed(size: Int64, for userID: UUID, limits: (maxFileSize: Int64, weeklyLimit: Int64)) async throws {
        let (maxFileSize, weeklyLimit) = limits
        guard size <= maxFileSize else { throw APIError(.badRequest, SizeMessages.tooLarge(max: maxFileSize)) }
        let used = try await quotas.usage(of: userID).usedBytes
        guard used + size <= weeklyLimit else {
            throw APIError(.forbidden, SizeMessages.overQuota(used: used, limit: weeklyLimit, size: size))
        }
    }

    /// Makes the video. On an error the file is left where it was, for the caller to remove
    /// (or, for tus, to keep for a retry).
    func accept(_ upload: ReceivedUpload, by uploader: Identity) async throws -> VideoRecord {
        if let existing = try await videos.video(id: upload.videoID) { return existing }
        let (maxFileSize, weeklyLimit) = try await limits()
        guard upload.size <= maxFileSize else { throw APIError(.badRequest, SizeMessages.tooLarge(max: maxFileSize)) }
        let signature = try await checkSignature(of: upload.path)
        let info: MediaInfo
        do {
            info = try await probe.probe(fileAt: upload.path)
        } catch let error as MediaProbeError {
            throw APIError(.badRequest, "Invalid video file: \(error.description)")
        }
        let claimed = (upload.originalFilename as NSString).pathExtension
        let filename = Self.storedFilename(id: upload.videoID, extension: signature.fileExtension(claimed: claimed))
        let source = "originals/\(filename)"
        try await moveExclusively(upload.path, to: root.path(source))
        do {
            return try await insert(upload, filename: filename, source: source, info: info, uploader: uploader, weeklyLimit: weeklyLimit)
        } catch {
            try? await moveExclusively(root.path(source), to: upload.path)
            // Another request completing the same upload (a retried complete, a tus HEAD) won the race.
            if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "23505",
                let existing = try await videos.video(id: upload.videoID)
            {
                return existing
            }
            throw error
        }
    }

    private func insert(
        _ upload: ReceivedUpload, filename: String, source: String, info: MediaInfo, uploader: Identity, weeklyLimit: Int64
    ) async throws -> VideoRecord {
        let jobID = UUID()
        return try await database.transaction { connection in
            if let categoryID = upload.categoryID,
                try await !MediaReadModels.categoryExists(categoryID, on: connection, logger: logger)
            {
                throw APIError(.notFound, "Category not found: \(categoryID.apiString)")
            }
            try await MediaReadModels.recordUser(uploader.userID, username: uploader.username, at: .now, connection, logger)
            try await quotas.charge(uploader.userID, bytes: upload.size, limit: weeklyLimit, on: connection)
            let duration = info.duration.isFinite && info.duration >= 0 ? Int(info.duration.rounded(.down)) : nil
            try await insertRow(upload, filename: filename, source: source, info: info, duration: duration, uploader: uploader, on: connection)
            try await connection.query(
                "INSERT INTO media.jobs (id, video_id, kind, max_attempts) VALUES (\(jobID), \(upload.videoID), 'transcode', \(jobAttempts))", logger: logger)
            guard let video = try await videos.video(id: upload.videoID, on: connection) else {
                throw APIError(.internalServerError, "Failed to upload video: the new video could not be read back")
            }
            try await database.outbox.enqueue(
                VideoCreated(videoID: video.id, uploadedBy: video.uploadedBy, video: video.snapshot), on: connection, logger: logger)
            try await database.outbox.enqueue(
                JobRequested(jobID: jobID, kind: "transcode", videoID: video.id), on: connection, logger: logger)
            return video
        }
    }

    /// Inserts the row with a fresh short id, drawing again on the (rare) clash.
    private func insertRow(
        _ upload: ReceivedUpload, filename: String, source: String, info: MediaInfo, duration: Int?, uploader: Identity,
        on connection: PostgresConnection
    ) async throws {
        for _ in 0..<5 {
            let inserted = try await connection.query("""
                INSERT INTO media.videos (id, short_id, title, description, filename, original_filename, source_path,
                    upload_size_bytes, file_size_bytes, duration_seconds, width, height, uploaded_by, category_id)
                VALUES (\(upload.videoID), \(ShortID.make()), \(upload.title), \(upload.description), \(filename),
                    \(upload.originalFilename), \(source), \(upload.size), \(upload.size), \(duration),
                    \(info.displayWidth), \(info.displayHeight), \(uploader.userID), \(upload.categoryID))
                ON CONFLICT (short_id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            if !inserted.isEmpty { return }
        }
        throw APIError(.internalServerError, "Failed to upload video: no free short id")
    }

    /// `<id>_<YYYYmmddHHMMSS>.<ext>`, the original's upload file name.
    static func storedFilename(id: UUID, extension ext: String, now: Date = .now) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(format: "%04d%02d%02d%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        return "\(id.apiString)_\(stamp).\(ext)"
    }

    /// The container the first bytes announce; anything else is a 400.
    private func checkSignature(of path: String) async throws -> VideoSignature {
        let prefix = try await threadPool.runIfActive { () throws -> [UInt8] in
            guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
            defer { try? handle.close() }
            return Array(try handle.read(upToCount: VideoSignature.prefixLength) ?? Data())
        }
        guard let signature = VideoSignature.detect(prefix) else {
            throw APIError(.badRequest, "Invalid video file: the content is not a supported video format")
        }
        return signature
    }

    /// Moves a file without ever replacing one (`link` then `unlink`): two requests completing
    /// the same upload in the same second cannot overwrite each other's file; the second is a 409.
    private func moveExclusively(_ from: String, to destination: String) async throws {
        try await threadPool.runIfActive {
            if link(from, destination) != 0 {
                if errno == EEXIST { throw APIError(.conflict, "This upload is already being completed") }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            unlink(from)
        }
    }
}
