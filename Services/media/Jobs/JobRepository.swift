import Contracts
import Database
import Foundation
import Infrastructure
import Logging
import Messaging
import PostgresNIO

/// The rows of `media.jobs` as workers see them: claimed under a lease, renewed while the
/// work runs, and settled (done, queued again, failed or dead) in one transaction with the
/// video's row and the event that announces it.
///
/// Every change after the claim is conditional on `lease_owner`, so a worker that lost its
/// lease (paused too long, its job swept and claimed by another) changes nothing.
struct JobRepository: Sendable {
    let database: MediaDatabase
    let leaseDuration: Duration
    var logger: Logger { database.logger }

    /// The lease as an SQL interval's seconds.
    var leaseSeconds: Double { leaseDuration.seconds }

    /// Takes job `id` for `owner`: queued, or running with a lease that ran out, and attempts left.
    /// Nil when it is done, held by a live lease, out of attempts or gone: the message is then stale.
    func claim(_ id: UUID, owner: String) async throws -> ClaimedJob? {
        let rows = try await database.rows("""
            UPDATE media.jobs SET state = 'running', attempts = attempts + 1, lease_owner = \(owner),
                lease_expires_at = clock_timestamp() + make_interval(secs => \(leaseSeconds)),
                heartbeat_at = clock_timestamp(), started_at = clock_timestamp(), finished_at = NULL,
                progress = 0, updated_at = clock_timestamp()
            WHERE id = \(id) AND attempts < max_attempts
                AND (state = 'queued' OR (state = 'running' AND lease_expires_at < clock_timestamp()))
            RETURNING kind, video_id, attempts, max_attempts
            """)
        guard let row = rows.first else { return nil }
        let (kind, videoID, attempts, maxAttempts) = try row.decode((String, UUID, Int32, Int32).self)
        guard let jobKind = JobKind(rawValue: kind) else { return nil }
        return ClaimedJob(
            id: id, kind: jobKind, videoID: videoID, attempt: Int(attempts), maxAttempts: Int(maxAttempts), owner: owner)
    }

    /// Extends the lease and records progress; false when the lease is no longer `job.owner`'s.
    func renew(_ job: ClaimedJob, progress: Int?) async throws -> Bool {
        let rows = try await database.rows("""
            UPDATE media.jobs SET lease_expires_at = clock_timestamp() + make_interval(secs => \(leaseSeconds)),
                heartbeat_at = clock_timestamp(), progress = coalesce(\(progress), progress)
            WHERE id = \(job.id) AND state = 'running' AND lease_owner = \(job.owner)
            RETURNING id
            """)
        return !rows.isEmpty
    }

    /// Whether attempt `attempt` of job `id` is the one running now.
    func isRunning(_ id: UUID, attempt: Int) async throws -> Bool {
        let rows = try await database.rows(
            "SELECT 1 FROM media.jobs WHERE id = \(id) AND state = 'running' AND attempts = \(attempt)")
        return !rows.isEmpty
    }

    /// Gives the job back untried (graceful shutdown): queued again, the attempt not counted,
    /// and announced so another worker takes it at once.
    func handBack(_ job: ClaimedJob) async throws {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE media.jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = clock_timestamp()
                WHERE id = \(job.id) AND state = 'running' AND lease_owner = \(job.owner)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return }
            try await database.outbox.enqueue(
                JobRequested(jobID: job.id, kind: job.kind.rawValue, videoID: job.videoID), on: connection, logger: logger)
        }
    }

    /// Runs `body` in a transaction that holds `job`'s row lock, if `job.owner` still holds the
    /// lease; nil (and nothing run) when it does not.
    func whileHolding<Result: Sendable>(
        _ job: ClaimedJob, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result? {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                SELECT id FROM media.jobs WHERE id = \(job.id) AND state = 'running' AND lease_owner = \(job.owner)
                FOR UPDATE
                """, logger: logger).collect()
            guard !rows.isEmpty else { return nil }
            return try await body(connection)
        }
    }

    /// Ends the job in `state` (`done`, `failed`, `dead`, or `queued` for a retry) on `connection`,
    /// inside ``whileHolding(_:_:)``. A failure's `error` is kept (the last one, when nil); a job
    /// done has only the note it is given (an earlier attempt's error no longer applies).
    func settle(_ job: ClaimedJob, state: String, error: String?, on connection: PostgresConnection) async throws {
        let finished = state != "queued"
        try await connection.query("""
            UPDATE media.jobs SET state = \(state),
                error = CASE WHEN \(state) = 'done' THEN \(error) ELSE coalesce(\(error), error) END, lease_owner = NULL,
                lease_expires_at = NULL, progress = CASE WHEN \(state) = 'done' THEN 100 ELSE progress END,
                finished_at = CASE WHEN \(finished) THEN clock_timestamp() ELSE NULL END, updated_at = clock_timestamp()
            WHERE id = \(job.id)
            """, logger: logger)
    }
}
