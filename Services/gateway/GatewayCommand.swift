import ArgumentParser
import ServiceKit

/// The `gateway` executable: the single HTTP entry of Clipset.
@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Clipset gateway: the one origin of the UI and the API.",
        subcommands: [ServeCommand<GatewayService>.self, MigrateCommand<GatewayService>.self],
        defaultSubcommand: ServeCommand<GatewayService>.self
    )
}
