import ArgumentParser
import ServiceKit

/// The `media` executable: videos, uploads, quotas, streaming, and the workers
/// that transcode.
@main
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Clipset media service: videos, uploads, quotas, streaming and transcoding workers.",
        subcommands: [ServeCommand<MediaService>.self, MigrateCommand<MediaService>.self, WorkerCommand.self, MediaImportCommand.self],
        defaultSubcommand: ServeCommand<MediaService>.self
    )
}

/// `media worker`: a process that takes jobs from `media.jobs`; run as many as
/// the load needs, on any number of machines.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run a media worker until SIGTERM."
    )

    func run() async throws {
        try await MediaService.work(.bootstrap(service: "media-worker"))
    }
}
