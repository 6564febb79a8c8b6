import AMQP
import Configuration
import Foundation
import Hummingbird
import Infrastructure
import Messaging
import ServiceKit

/// How the media service and its workers are put together.
///
/// Configuration keys:
/// - `media.root` (`MEDIA_ROOT`, default `./media`): the folder of uploads and outputs.
/// - `ffmpeg.path` (`FFMPEG_PATH`, default `ffmpeg`): the transcoder.
/// - `jobs.delivery.limit` (`JOBS_DELIVERY_LIMIT`, default 5): deliveries of a job message before it is dead-lettered.
enum MediaService: ServiceDefinition {
    static let name = "media"
    static let defaultPort = 8082

    static func migrate(_ environment: ServiceEnvironment) async throws {
        try await Infrastructure.migrate(environment: environment, schema: name, directory: migrationsFolder)
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        try await migrate(environment)
        let infrastructure = try Infrastructure(environment: environment, schema: name)
        let media = try MediaRoot(reader: environment.reader)
        let readiness = infrastructure.readiness + [media.readinessCheck]
        let router = environment.makeRouter(context: BasicRequestContext.self, readiness: readiness)
        try await environment.run(router: router, defaultPort: defaultPort, services: infrastructure.services)
    }

    /// A worker answers `/health`, `/ready` and `/metrics` too, so an orchestrator
    /// can probe it and a scraper can read its figures.
    static func work(_ environment: ServiceEnvironment) async throws {
        try await migrate(environment)
        let infrastructure = try Infrastructure(environment: environment, schema: name)
        let media = try MediaRoot(reader: environment.reader)
        let ffmpeg = FFmpegCheck(reader: environment.reader)
        let jobs = EventTopology.workQueue(
            EventTopology.jobsQueue, deliveryLimit: environment.reader.int(forKey: "jobs.delivery.limit", default: 5))
        try await infrastructure.publisher.declare(jobs)
        let readiness = infrastructure.readiness + [media.readinessCheck, ffmpeg.readinessCheck]
        let router = environment.makeRouter(context: BasicRequestContext.self, readiness: readiness)
        try await environment.run(router: router, defaultPort: defaultPort + 3, services: infrastructure.services)
    }

    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
}
