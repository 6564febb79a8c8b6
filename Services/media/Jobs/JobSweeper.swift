import AMQP
import Contracts
import Foundation
import Infrastructure
import Logging
import Messaging
import PostgresNIO

/// Finds the jobs nobody is working on and sets them going again (ARCHITECTURE §2 rule 4).
///
/// - A running job whose lease ran out (its worker died or hung) is queued again and
///   announced, or, out of attempts, ends `dead` with its video `failed`.
/// - A queued job untouched for `republishAfter` while the queue is empty (its message was
///   lost, or it is a retry that waited out its back-off) is announced again.
///
/// Every worker and `media serve` sweep (so a job whose worker died is announced again even
/// while no worker runs, e.g. scaled to zero by queue length); `FOR UPDATE SKIP LOCKED` lets
/// each job be swept by one of them.
struct JobSweeper: Sendable {
    let jobs: JobRepository
    let outcome: VideoOutcome
    let republishAfter: Duration
    /// Whether `media.jobs` holds no ready message: only then can a queued job's message be lost.
    let queueIsEmpty: @Sendable () async -> Bool
    /// Where attempts write; abandoned folders are removed a lease after their last change.
    let folders: OutputFolder
    var logger: Logger { jobs.logger }

    /// How many jobs one sweep requeued, re-announced and gave up on.
    struct Report: Sendable, Equatable {
        var requeued = 0
        var republished = 0
        var dead = 0
        var foldersRemoved = 0
    }

    /// A sweeper over `database`'s jobs, checking `media.jobs` through `publisher`.
    init(database: MediaDatabase, settings: WorkerSettings, folders: OutputFolder, publisher: AMQPPublisher) {
        jobs = JobRepository(database: database, leaseDuration: settings.lease)
        outcome = VideoOutcome(videos: VideoRepository(database: database))
        republishAfter = settings.republishAfter
        queueIsEmpty = { (try? await publisher.messageCount(queue: EventTopology.jobsQueue)) == 0 }
        self.folders = folders
    }

    /// Sweeps every `interval` until shutdown, logging what each sweep did.
    func periodically(every interval: Duration) -> PeriodicTask {
        PeriodicTask(name: "job sweep", interval: interval, logger: logger) {
            let report = try await sweep()
            if report != Report() {
                logger.info("job sweep", metadata: [
                    "jobs.requeued": "\(report.requeued)", "jobs.republished": "\(report.republished)",
                    "jobs.dead": "\(report.dead)", "jobs.folders_removed": "\(report.foldersRemoved)",
                ])
            }
        }
    }

    /// Sweeps the jobs, then the folders of attempts that ended without cleaning up.
    func sweep() async throws -> Report {
        var report = try await sweepJobs()
        report.foldersRemoved = try await folders.sweepAbandoned(olderThan: jobs.leaseDuration * 2) { [jobs] id, attempt in
            try await jobs.isRunning(id, attempt: attempt)
        }
        return report
    }

    /// Requeues, re-announces and buries jobs, in one transaction.
    private func sweepJobs() async throws -> Report {
        // While messages wait in the queue, the old queued jobs are those waiting behind them.
        let republishSeconds = await queueIsEmpty() ? republishAfter.seconds : 1e9
        return try await jobs.database.transaction { connection in
            var report = Report()
            let requeued = try await connection.query("""
                UPDATE media.jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,
                    error = coalesce(error, 'The worker stopped before finishing.'), updated_at = clock_timestamp()
                WHERE id IN (SELECT id FROM media.jobs WHERE state = 'running' AND lease_expires_at < clock_timestamp()
                    AND attempts < max_attempts FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, video_id
                """, logger: logger).collect()
            let republished = try await connection.query("""
                UPDATE media.jobs SET updated_at = clock_timestamp()
                WHERE id IN (SELECT id FROM media.jobs WHERE state = 'queued' AND attempts < max_attempts
                    AND updated_at < clock_timestamp() - make_interval(secs => \(republishSeconds))
                    ORDER BY updated_at LIMIT 500 FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, video_id
                """, logger: logger).collect()
            for row in requeued + republished {
                let (id, kind, videoID) = try row.decode((UUID, String, UUID).self)
                try await jobs.database.outbox.enqueue(
                    JobRequested(jobID: id, kind: kind, videoID: videoID), on: connection, logger: logger)
            }
            report.requeued = requeued.count
            report.republished = republished.count
            let dead = try await connection.query("""
                UPDATE media.jobs SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL,
                    error = coalesce(error, 'The worker stopped before finishing.'),
                    finished_at = clock_timestamp(), updated_at = clock_timestamp()
                WHERE id IN (SELECT id FROM media.jobs WHERE attempts >= max_attempts
                    AND (state = 'queued' OR (state = 'running' AND lease_expires_at < clock_timestamp()))
                    FOR UPDATE SKIP LOCKED)
                RETURNING video_id, attempts
                """, logger: logger).collect()
            for row in dead {
                let (videoID, attempts) = try row.decode((UUID, Int32).self)
                try await outcome.failed(
                    videoID, message: "Processing failed after \(attempts) attempts. Please try uploading the video again.",
                    on: connection)
            }
            report.dead = dead.count
            return report
        }
    }
}
