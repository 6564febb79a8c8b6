import AMQP
import Foundation
import Infrastructure
import Logging
import MediaProbe
import Messaging
import NIOPosix
import ServiceKit
import Transcoding

/// A media worker's parts, built once from its infrastructure: the job rows, the transcoder,
/// the runner and sweeper, and the consumer of `media.jobs` that drives them.
struct WorkerParts: Sendable {
    let worker: JobWorker

    init(
        environment: ServiceEnvironment, infrastructure: Infrastructure, root: MediaRoot, ffmpeg: FFmpegCheck,
        jobsTopology: AMQPTopology, threadPool: NIOThreadPool = .singleton
    ) {
        let logger = environment.logger
        let settings = WorkerSettings(reader: environment.reader)
        let database = MediaDatabase(
            postgres: infrastructure.postgres, outbox: infrastructure.outbox, relay: infrastructure.relay, logger: logger)
        let jobs = JobRepository(database: database, leaseDuration: settings.lease)
        let outcome = VideoOutcome(videos: VideoRepository(database: database))
        let transcoder = Transcoder(
            ffmpegPath: ffmpeg.executable,
            limits: TranscodeLimits(
                wallTime: settings.ffmpegTimeout, memoryBytes: settings.ffmpegMemoryBytes, threads: settings.ffmpegThreads),
            logger: logger)
        let folders = OutputFolder(root: root, threadPool: threadPool)
        let transcode = TranscodeJob(
            jobs: jobs, outcome: outcome,
            settings: RuntimeConfigRepository(
                postgres: infrastructure.postgres,
                defaults: RuntimeSettings(videoStoragePath: root.url.appending(path: "videos").path), logger: logger),
            folders: folders,
            probe: MediaProbe(threadPool: threadPool, logger: logger), transcoder: transcoder)
        let owner = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8).lowercased())"
        let (postgres, publisher, producer) = (infrastructure.postgres, infrastructure.publisher, environment.name)
        let runner = JobRunner(
            jobs: jobs, outcome: outcome, transcode: transcode, settings: settings,
            progress: { job, uploadedBy in
                JobProgressReporter(
                    job: job, uploadedBy: uploadedBy, postgres: postgres, publisher: publisher, producer: producer, logger: logger)
            },
            owner: owner, logger: logger)
        let sweeper = JobSweeper(database: database, settings: settings, folders: folders, publisher: publisher)
        // A worker never gives up on the broker: an outage of any length ends with it consuming again.
        var amqp = infrastructure.amqp
        amqp.reconnect = AMQPReconnectPolicy(maxAttempts: nil, maxDuration: nil)
        let consumer = AMQPConsumer(
            queue: EventTopology.jobsQueue, prefetch: UInt16(clamping: settings.concurrency), topology: jobsTopology,
            configuration: amqp, logger: logger)
        worker = JobWorker(consumer: consumer, runner: runner, sweeper: sweeper, settings: settings, logger: logger)
        logger.info("media worker ready", metadata: [
            "worker.owner": "\(owner)", "worker.concurrency": "\(settings.concurrency)", "job.lease": "\(settings.lease)",
            "worker.shutdown_grace": "\(settings.shutdownGrace)",
        ])
    }
}
