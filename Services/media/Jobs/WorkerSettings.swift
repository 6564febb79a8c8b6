import Configuration
import Foundation

/// How a media worker works, from its configuration.
///
/// Configuration keys:
/// - `media.worker.concurrency` (`MEDIA_WORKER_CONCURRENCY`, default 1): jobs one worker runs at
///   once, and its prefetch on `media.jobs`. ffmpeg uses every core by itself; raise it for
///   machines with many cores or GPU encoding.
/// - `media.job.lease.seconds` (`MEDIA_JOB_LEASE_SECONDS`, default 60): how long a claim holds
///   without renewal; renewed every third of it. A killed worker's job is taken over after it.
/// - `media.job.sweep.seconds` (`MEDIA_JOB_SWEEP_SECONDS`, default 15): how often a worker looks
///   for expired leases and lost messages.
/// - `media.job.republish.seconds` (`MEDIA_JOB_REPUBLISH_SECONDS`, default 60): how long a queued
///   job waits before its message counts as lost (also the back-off of a retry).
/// - `media.worker.shutdown.grace.seconds` (`MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS`, default 20):
///   how long SIGTERM lets running jobs finish before they are handed back to the queue.
/// - `media.job.max.attempts` (`MEDIA_JOB_MAX_ATTEMPTS`, default 3) is read by the service, which
///   writes it into each job row; after that many attempts a job is `dead`.
/// - `media.ffmpeg.timeout.seconds` (`MEDIA_FFMPEG_TIMEOUT_SECONDS`, default 7200): the wall-time
///   limit of one ffmpeg run.
/// - `media.ffmpeg.memory.mb` (`MEDIA_FFMPEG_MEMORY_MB`, default 8192, 0 for none): ffmpeg's
///   address-space limit.
/// - `media.ffmpeg.threads` (`MEDIA_FFMPEG_THREADS`, default 0 = ffmpeg's choice).
struct WorkerSettings: Sendable {
    var concurrency: Int
    var lease: Duration
    var sweepInterval: Duration
    var republishAfter: Duration
    var shutdownGrace: Duration
    var ffmpegTimeout: Duration
    var ffmpegMemoryBytes: Int?
    var ffmpegThreads: Int?

    init(reader: ConfigReader) {
        concurrency = max(1, reader.int(forKey: "media.worker.concurrency", default: 1))
        lease = .seconds(max(2, reader.int(forKey: "media.job.lease.seconds", default: 60)))
        sweepInterval = .seconds(max(1, reader.int(forKey: "media.job.sweep.seconds", default: 15)))
        republishAfter = .seconds(max(1, reader.int(forKey: "media.job.republish.seconds", default: 60)))
        shutdownGrace = .seconds(max(0, reader.int(forKey: "media.worker.shutdown.grace.seconds", default: 20)))
        ffmpegTimeout = .seconds(max(1, reader.int(forKey: "media.ffmpeg.timeout.seconds", default: 7200)))
        let memory = reader.int(forKey: "media.ffmpeg.memory.mb", default: 8192)
        ffmpegMemoryBytes = memory > 0 ? memory << 20 : nil
        let threads = reader.int(forKey: "media.ffmpeg.threads", default: 0)
        ffmpegThreads = threads > 0 ? threads : nil
    }

    /// How often a running job renews its lease.
    var renewInterval: Duration { lease / 3 }
}
