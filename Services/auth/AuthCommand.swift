import ArgumentParser
import ServiceKit

/// The `auth` executable: Clipset's accounts, tokens, invitations and password resets.
@main
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Clipset auth service: accounts, tokens, invitations and password resets.",
        subcommands: [ServeCommand<AuthService>.self, MigrateCommand<AuthService>.self],
        defaultSubcommand: ServeCommand<AuthService>.self
    )
}
