import AMQP
import Configuration
import Foundation
import Hummingbird
import Infrastructure
import Messaging
import NIOPosix
import ServiceKit

/// How the media service and its workers are put together.
///
/// Configuration keys:
/// - `media.root` (`MEDIA_ROOT`, default `./media`): the folder of uploads and outputs.
/// - `ffmpeg.path` (`FFMPEG_PATH`, default `ffmpeg`): the transcoder.
/// - `jobs.delivery.limit` (`JOBS_DELIVERY_LIMIT`, default 5): deliveries of a job message before it is dead-lettered.
/// - `uploads.expiry.hours` (`UPLOADS_EXPIRY_HOURS`, default 24): how long an untouched chunked or tus upload lives.
/// - `views.flush.ms` (`VIEWS_FLUSH_MS`, default 2000): how often views move from Redis to PostgreSQL.
/// - the worker's keys of ``WorkerSettings``.
/// - the media URL signing keys of ``MediaSigning`` and the quota reset time of ``QuotaSchedule``.
enum MediaService: SchemaOwningService {
    static let name = "media"
    static let defaultPort = 8082
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }
    /// The events of media's read models of users and categories (consumed by `serve`; workers consume none).
    static var consumedEvents: [String] {
        identityEvents + EventHandlers.routingKeys(registeredBy: MediaReadModels.register(in:))
    }

    /// `/api/videos/{short_id}/stream|hls/...|stream-info|thumbnail` take `?token=` (API §1).
    static var queryTokenRequests: @Sendable (Request) -> Bool {
        { request in
            let segments = request.uri.path.split(separator: "/")
            return segments.count >= 4 && segments[0] == "api" && segments[1] == "videos"
                && StreamingController.queryTokenRoutes.contains(String(segments[3]))
        }
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let media = try MediaRoot(reader: environment.reader)
        let ffmpeg = FFmpegCheck(reader: environment.reader)
        let signer = try MediaSigning.signer(reader: environment.reader)
        let schedule = try QuotaSchedule(reader: environment.reader)
        try await run(environment) { setup in
            setup.readiness.append(media.readinessCheck)
            let parts = try MediaParts(
                environment: environment, infrastructure: setup.infrastructure, root: media, ffmpeg: ffmpeg,
                signer: signer, schedule: schedule)
            try await declareJobsQueue(setup.infrastructure, reader: environment.reader)
            parts.addRoutes(to: setup.router)
            setup.services += parts.backgroundServices
            MediaReadModels.register(in: &setup.eventHandlers)
        }
    }

    /// A worker answers `/health`, `/ready` and `/metrics` too, so an orchestrator
    /// can probe it and a scraper can read its figures.
    static func work(_ environment: ServiceEnvironment) async throws {
        let media = try MediaRoot(reader: environment.reader)
        let ffmpeg = FFmpegCheck(reader: environment.reader)
        try await run(environment, port: defaultPort + 3, keys: nil) { setup in
            let topology = jobsTopology(reader: environment.reader)
            try await setup.infrastructure.publisher.declare(topology)
            setup.readiness += [media.readinessCheck, ffmpeg.readinessCheck]
            setup.services.append(WorkerParts(
                environment: environment, infrastructure: setup.infrastructure, root: media, ffmpeg: ffmpeg,
                jobsTopology: topology
            ).worker)
        }
    }

    /// `media.jobs`, bound to `media.job.requested` so a job announced through the outbox
    /// waits in the queue even before any worker runs.
    private static func declareJobsQueue(_ infrastructure: Infrastructure, reader: ConfigReader) async throws {
        try await infrastructure.publisher.declare(jobsTopology(reader: reader))
    }

    private static func jobsTopology(reader: ConfigReader) -> AMQPTopology {
        var jobs = EventTopology.workQueue(EventTopology.jobsQueue, deliveryLimit: reader.int(forKey: "jobs.delivery.limit", default: 5))
        jobs.bindings.append(AMQPBinding(queue: EventTopology.jobsQueue, exchange: EventTopology.eventsExchange, routingKey: "media.job.requested"))
        return jobs
    }
}
