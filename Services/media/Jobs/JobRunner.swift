import AMQP
import Contracts
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Takes one message of `media.jobs` to its end: claims the job's row, acknowledges the
/// message, runs the job while renewing the lease, and settles the row (ARCHITECTURE §2 rule 4).
///
/// The message only wakes the worker: a stale one (the job done, held, or gone) is acknowledged
/// and dropped. A graceful shutdown lets the job run for the grace period, then hands it back.
struct JobRunner: Sendable {
    let jobs: JobRepository
    let outcome: VideoOutcome
    let transcode: TranscodeJob
    let settings: WorkerSettings
    let progress: @Sendable (ClaimedJob, UUID) -> JobProgressReporter
    let owner: String
    let logger: Logger

    /// Handles one delivery; never throws (every outcome is in the row and the logs).
    func handle(_ delivery: AMQPDelivery) async {
        let request: JobRequested
        do {
            request = try IncomingEvent(body: Data(delivery.body)).decode(JobRequested.self).data
        } catch {
            logger.error("not a job request: dead-lettered", metadata: ["error": "\(error)"])
            await settle { try await delivery.reject(requeue: false) }
            return
        }
        let job: ClaimedJob?
        do {
            job = try await jobs.claim(request.jobID, owner: owner)
        } catch {
            logger.warning("could not claim a job: returned to the queue", metadata: ["job.id": "\(request.jobID)", "error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            await settle { try await delivery.nack(requeue: true) }
            return
        }
        await settle { try await delivery.ack() }
        guard let job else {
            logger.debug("stale job message dropped", metadata: ["job.id": "\(request.jobID)"])
            return
        }
        await execute(job)
    }

    /// Runs a claimed job and settles it.
    func execute(_ job: ClaimedJob) async {
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind.rawValue)"
        logger[metadataKey: "job.attempt"] = "\(job.attempt)"
        logger[metadataKey: "video.id"] = "\(job.videoID)"
        logger.info("job started")
        let started = ContinuousClock.now
        do {
            let result = try await withLease(job) { try await work(job) }
            let seconds = (ContinuousClock.now - started).seconds
            logger.info("job finished", metadata: ["job.result": "\(result)", "job.seconds": "\(seconds)"])
            Counter(label: "media_jobs_total", dimensions: [("kind", job.kind.rawValue), ("result", "\(result)")]).increment()
            Timer(label: "media_job_duration_seconds", dimensions: [("kind", job.kind.rawValue)], preferredDisplayUnit: .seconds)
                .recordSeconds(seconds)
        } catch is LeaseLost {
            logger.warning("job no longer held (its lease went to another worker, or the job went with its deleted video): this attempt's work is discarded")
            Counter(label: "media_jobs_total", dimensions: [("kind", job.kind.rawValue), ("result", "lease_lost")]).increment()
        } catch where error is HandBack || Task.isCancelled {
            logger.info("shutting down: job handed back to the queue")
            await shielded { try await jobs.handBack(job) }
            Counter(label: "media_jobs_total", dimensions: [("kind", job.kind.rawValue), ("result", "handed_back")]).increment()
        } catch {
            let failure = error as? JobFailure
                ?? JobFailure(message: "Processing failed unexpectedly.", detail: String(reflecting: error), isRetriable: true)
            logger.warning("job failed", metadata: ["error": "\(failure.detail)", "job.retriable": "\(failure.isRetriable)"])
            Counter(label: "media_jobs_total", dimensions: [("kind", job.kind.rawValue), ("result", "failed")]).increment()
            await shielded { try await fail(job, failure) }
        }
    }

    private func work(_ job: ClaimedJob) async throws -> TranscodeJob.Result {
        guard let video = try await outcome.videos.video(id: job.videoID) else {
            _ = try await jobs.whileHolding(job) { [jobs] connection in
                try await jobs.settle(job, state: "done", error: "the video was deleted", on: connection)
            }
            return .videoGone
        }
        if job.kind == .transcode {
            _ = try await jobs.whileHolding(job) { [outcome] connection in try await outcome.started(job.videoID, on: connection) }
        }
        let result = try await transcode.run(job, video: video, progress: progress(job, video.uploadedBy))
        if case .leaseLost = result { throw LeaseLost() }
        return result
    }

    /// Settles a failed attempt: `failed` for input that will never work, `dead` after the last
    /// attempt (the video `failed` either way), otherwise queued again for the sweeper to
    /// re-announce after its back-off.
    private func fail(_ job: ClaimedJob, _ failure: JobFailure) async throws {
        _ = try await jobs.whileHolding(job) { [jobs, outcome] connection in
            let error = "\(failure.message) (\(failure.detail.suffix(2000)))"
            if !failure.isRetriable {
                try await jobs.settle(job, state: "failed", error: error, on: connection)
                try await outcome.failed(job.videoID, message: failure.message, on: connection)
            } else if job.isLastAttempt {
                try await jobs.settle(job, state: "dead", error: error, on: connection)
                try await outcome.failed(
                    job.videoID, message: "Processing failed after \(job.attempt) attempts: \(failure.message)", on: connection)
            } else {
                try await jobs.settle(job, state: "queued", error: error, on: connection)
            }
        }
    }

    /// Runs `body` while renewing the lease; throws ``LeaseLost`` if the lease is taken away, and
    /// ``HandBack`` when a graceful shutdown's grace period ends first.
    private func withLease<Result: Sendable>(
        _ job: ClaimedJob, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask { [jobs, settings, logger] in
                while true {
                    try await Task.sleep(for: settings.renewInterval)
                    do {
                        if try await !jobs.renew(job, progress: nil) { throw LeaseLost() }
                    } catch let error as LeaseLost {
                        throw error
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        logger.warning("could not renew a job's lease", metadata: ["error": "\(error)"])
                    }
                }
            }
            group.addTask { [settings, logger] in
                try await gracefulShutdown()
                logger.info("shutting down: the running job may finish", metadata: ["job.id": "\(job.id)", "grace": "\(settings.shutdownGrace)"])
                try await Task.sleep(for: settings.shutdownGrace)
                throw HandBack()
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let result = next { return result }
            }
            throw CancellationError()
        }
    }

    /// Runs a settling write even when the task is being cancelled (a shutdown's last act).
    private func shielded(_ operation: @escaping @Sendable () async throws -> Void) async {
        let logger = self.logger
        await Task.detached {
            do { try await operation() } catch {
                logger.error("could not settle a job; the sweeper will take it up when its lease ends", metadata: ["error": "\(error)"])
            }
        }.value
    }

    /// An ack or nack that fails means the connection is gone; the broker redelivers, and the
    /// claim makes that harmless.
    private func settle(_ operation: () async throws -> Void) async {
        do { try await operation() } catch {
            logger.debug("could not settle a job message", metadata: ["error": "\(error)"])
        }
    }
}

/// The grace period of a shutdown ended before the job did.
struct HandBack: Error {}
