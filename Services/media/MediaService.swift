import AMQP
import Configuration
import Foundation
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
enum MediaService: SchemaOwningService {
    static let name = "media"
    static let defaultPort = 8082
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let media = try MediaRoot(reader: environment.reader)
        let ffmpeg = FFmpegCheck(reader: environment.reader)
        try await run(environment) { setup in
            setup.readiness.append(media.readinessCheck)
            let defaults = RuntimeSettings(videoStoragePath: media.url.appending(path: "videos").path)
            ConfigController(
                repository: RuntimeConfigRepository(
                    postgres: setup.infrastructure.postgres, defaults: defaults, logger: environment.logger),
                encoders: EncoderDetection(ffmpeg: ffmpeg.executable),
                threadPool: .singleton, logger: environment.logger
            ).addRoutes(to: setup.router)
        }
    }

    /// A worker answers `/health`, `/ready` and `/metrics` too, so an orchestrator
    /// can probe it and a scraper can read its figures.
    static func work(_ environment: ServiceEnvironment) async throws {
        let media = try MediaRoot(reader: environment.reader)
        let ffmpeg = FFmpegCheck(reader: environment.reader)
        try await run(environment, port: defaultPort + 3, keys: nil) { setup in
            let jobs = EventTopology.workQueue(
                EventTopology.jobsQueue, deliveryLimit: environment.reader.int(forKey: "jobs.delivery.limit", default: 5))
            try await setup.infrastructure.publisher.declare(jobs)
            setup.readiness += [media.readinessCheck, ffmpeg.readinessCheck]
        }
    }
}
