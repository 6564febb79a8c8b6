import Contracts
import Database
import Foundation
import Infrastructure
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// HLS migrations: when the output format turns to HLS, every completed video stored
/// progressive gets an `hls_migration` job, counted as one batch for the admin's status
/// route (API Part B §3.8). The videos keep playing their progressive file meanwhile.
struct HLSMigrations: Sendable {
    let database: MediaDatabase
    /// How many attempts each migration job gets.
    let jobAttempts: Int
    var logger: Logger { database.logger }

    /// Starts a migration on `connection` (the config change's transaction) for the completed
    /// progressive videos that have no migration under way; returns how many were queued.
    @discardableResult
    func start(by admin: UUID?, on connection: PostgresConnection) async throws -> Int {
        let migrationID = UUID()
        let jobs = try await connection.query("""
            SELECT v.id FROM media.videos v
            WHERE v.processing_status = 'completed' AND coalesce(v.output_format, 'progressive') = 'progressive'
                AND NOT EXISTS (SELECT 1 FROM media.jobs j WHERE j.video_id = v.id AND j.kind = 'hls_migration'
                    AND j.state IN ('queued', 'running'))
            ORDER BY v.created_at
            """, logger: logger).collect()
        guard !jobs.isEmpty else { return 0 }
        try await connection.query(
            "INSERT INTO media.hls_migrations (id, started_by, total) VALUES (\(migrationID), \(admin), \(jobs.count))",
            logger: logger)
        for row in jobs {
            let videoID = try row.decode(UUID.self)
            let jobID = UUID()
            try await connection.query("""
                INSERT INTO media.jobs (id, video_id, kind, migration_id, max_attempts)
                VALUES (\(jobID), \(videoID), 'hls_migration', \(migrationID), \(jobAttempts))
                """, logger: logger)
            try await database.outbox.enqueue(
                JobRequested(jobID: jobID, kind: JobKind.hlsMigration.rawValue, videoID: videoID), on: connection, logger: logger)
        }
        logger.info("HLS migration started", metadata: ["migration.id": "\(migrationID)", "migration.videos": "\(jobs.count)"])
        return jobs.count
    }

    /// The latest migration's state; all zero when none ever ran.
    func status() async throws -> HLSMigrationStatus {
        try await database.postgres.withLeasedConnection { connection in
            let latest = try await connection.query(
                "SELECT id, total FROM media.hls_migrations ORDER BY started_at DESC LIMIT 1", logger: logger).collect()
            guard let row = latest.first else { return HLSMigrationStatus() }
            let (id, total) = try row.decode((UUID, Int32).self)
            var status = HLSMigrationStatus(total: Int(total))
            let jobs = try await connection.query("""
                SELECT j.state, j.error, v.title FROM media.jobs j JOIN media.videos v ON v.id = j.video_id
                WHERE j.migration_id = \(id) ORDER BY j.created_at
                """, logger: logger).collect()
            for job in jobs {
                let (state, error, title) = try job.decode((String, String?, String).self)
                switch state {
                case "done": status.completed += 1
                case "running":
                    status.isRunning = true
                    if status.currentVideo == nil { status.currentVideo = title }
                case "queued": status.isRunning = true
                default: status.errors.append("\(title): \(error ?? "failed")")
                }
            }
            return status
        }
    }
}

/// `GET /api/config/hls-migration-status`.
struct HLSMigrationStatus: Codable, Sendable, Equatable {
    var isRunning = false
    var total = 0
    var completed = 0
    var currentVideo: String?
    var errors: [String] = []

    enum CodingKeys: String, CodingKey {
        case total, completed, errors
        case isRunning = "is_running"
        case currentVideo = "current_video"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isRunning, forKey: .isRunning)
        try c.encode(total, forKey: .total)
        try c.encode(completed, forKey: .completed)
        try c.encode(currentVideo, forKey: .currentVideo)
        try c.encode(errors, forKey: .errors)
    }
}
