import Configuration
import Foundation
import Hummingbird
import Identity
import Infrastructure
import Logging
import MediaProbe
import MediaStreaming
import NIOPosix
import ServiceKit
import ServiceLifecycle
import Tus

/// The media service's parts, built once from its infrastructure: repositories, the upload
/// intake, the controllers and the background work.
struct MediaParts: Sendable {
    let root: MediaRoot
    let database: MediaDatabase
    let videos: VideoRepository
    let quotas: QuotaRepository
    let settings: RuntimeConfigRepository
    let sessions: UploadSessionRepository
    let chunks: ChunkStore
    let intake: UploadIntake
    let files: VideoFiles
    let views: ViewCounter
    let flusher: ViewFlusher
    let tus: TusController<AuthenticatedContext>
    let signer: MediaURLSigner
    let responder: MediaFileResponder
    let encoders: EncoderDetection
    let jobSweeper: JobSweeper
    let jobSweepInterval: Duration
    let threadPool: NIOThreadPool
    let logger: Logger

    init(
        environment: ServiceEnvironment, infrastructure: Infrastructure, root: MediaRoot, ffmpeg: FFmpegCheck,
        signer: MediaURLSigner, schedule: QuotaSchedule, threadPool: NIOThreadPool = .singleton
    ) throws {
        let reader = environment.reader
        let logger = environment.logger
        let expiry = TimeInterval(max(1, reader.int(forKey: "uploads.expiry.hours", default: 24))) * 3600
        self.root = root
        self.signer = signer
        self.threadPool = threadPool
        self.logger = logger
        database = MediaDatabase(
            postgres: infrastructure.postgres, outbox: infrastructure.outbox, relay: infrastructure.relay, logger: logger)
        videos = VideoRepository(database: database)
        quotas = QuotaRepository(database: database, schedule: schedule)
        settings = RuntimeConfigRepository(
            postgres: infrastructure.postgres,
            defaults: RuntimeSettings(videoStoragePath: root.url.appending(path: "videos").path), logger: logger)
        sessions = UploadSessionRepository(postgres: infrastructure.postgres, lifetime: expiry, logger: logger)
        chunks = ChunkStore(folder: root.url.appending(path: "chunks"), threadPool: threadPool)
        intake = UploadIntake(
            root: root, probe: MediaProbe(threadPool: threadPool, logger: logger), database: database, videos: videos,
            quotas: quotas, settings: settings, threadPool: threadPool,
            jobAttempts: max(1, reader.int(forKey: "media.job.max.attempts", default: 3)))
        files = VideoFiles(root: root, folder: try ConfinedFolder(root.url), threadPool: threadPool, logger: logger)
        views = ViewCounter(redis: infrastructure.redis, postgres: infrastructure.postgres, logger: logger)
        flusher = ViewFlusher(
            redis: infrastructure.redis, postgres: infrastructure.postgres, outbox: infrastructure.outbox, relay: infrastructure.relay,
            interval: .milliseconds(max(50, reader.int(forKey: "views.flush.ms", default: 2000))), logger: logger)
        tus = TusController(
            configuration: TusConfiguration(
                directory: root.path("temp/tus"), maxSize: RuntimeSettingsChange.maxFileSizeLimit, expiry: .seconds(Int64(expiry))),
            hooks: TusVideoHooks(intake: intake), threadPool: threadPool, logger: logger)
        responder = MediaFileResponder(threadPool: threadPool)
        encoders = EncoderDetection(ffmpeg: ffmpeg.executable)
        let workerSettings = WorkerSettings(reader: reader)
        jobSweeper = JobSweeper(
            database: database, settings: workerSettings, folders: OutputFolder(root: root, threadPool: threadPool),
            publisher: infrastructure.publisher)
        jobSweepInterval = workerSettings.sweepInterval
    }

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        ConfigController(
            repository: settings, encoders: encoders, migrations: HLSMigrations(database: database, jobAttempts: intake.jobAttempts), threadPool: threadPool,
            logger: logger
        ).addRoutes(to: router)
        let videoRoutes = router.group("api/videos", context: AuthenticatedContext.self)
        let adminRoutes = router.group("api/videos", context: AdminContext.self)
        UploadController(intake: intake, sessions: sessions, chunks: chunks, threadPool: threadPool).addRoutes(to: videoRoutes)
        StreamingController(videos: videos, files: files, signer: signer, responder: responder, threadPool: threadPool)
            .addRoutes(to: videoRoutes)
        VideosController(videos: videos, files: files, views: views, quotas: quotas, settings: settings, logger: logger)
            .addRoutes(to: videoRoutes, admin: adminRoutes)
        tus.addDiscoveryRoutes(to: router.group("api/uploads"))
        tus.addRoutes(to: router.group("api/uploads", context: AuthenticatedContext.self))
        SignedMediaController(signer: signer, folder: files.folder, responder: responder).addRoutes(to: router)
    }

    /// Flushing views, sweeping abandoned uploads and abandoned jobs (as workers do, so that a
    /// dead worker's job is announced again while no worker runs), resetting quotas weekly.
    var backgroundServices: [any Service] {
        let sweeper = UploadSweeper(
            sessions: sessions, chunks: chunks, root: root, sweepTus: { [tus] in try await tus.sweepExpired() },
            threadPool: threadPool, logger: logger)
        return [
            flusher,
            PeriodicTask(name: "upload sweep", interval: .seconds(300), logger: logger) { try await sweeper.sweep() },
            jobSweeper.periodically(every: jobSweepInterval),
            PeriodicTask(name: "weekly quota reset", interval: .seconds(60), logger: logger) { [quotas, logger] in
                if let count = try await quotas.resetWeekIfDue() {
                    logger.info("weekly quotas reset", metadata: ["quota.users": "\(count)"])
                }
            },
        ]
    }
}
