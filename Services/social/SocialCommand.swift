import ArgumentParser
import ServiceKit

/// The `social` executable: Clipset's categories, playlists and comments.
@main
struct SocialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "social",
        abstract: "Clipset social service: categories, playlists and comments.",
        subcommands: [ServeCommand<SocialService>.self, MigrateCommand<SocialService>.self, SocialImportCommand.self],
        defaultSubcommand: ServeCommand<SocialService>.self
    )
}
