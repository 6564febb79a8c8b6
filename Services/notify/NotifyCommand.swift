import ArgumentParser
import ServiceKit

/// The `notify` executable: Clipset's emails, in-app notifications and live progress.
@main
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Clipset notify service: emails, in-app notifications and live progress.",
        subcommands: [ServeCommand<NotifyService>.self, MigrateCommand<NotifyService>.self],
        defaultSubcommand: ServeCommand<NotifyService>.self
    )
}
