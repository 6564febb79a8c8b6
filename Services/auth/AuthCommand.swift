import ArgumentParser
import Crypto
import Foundation
import Identity
import ServiceKit

/// The `auth` executable: Clipset's accounts, tokens, invitations and password resets.
@main
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Clipset auth service: accounts, tokens, invitations and password resets.",
        subcommands: [
            ServeCommand<AuthService>.self, MigrateCommand<AuthService>.self, GenerateKeyCommand.self, AuthImportCommand.self,
        ],
        defaultSubcommand: ServeCommand<AuthService>.self
    )
}

/// `auth generate-key`: prints a new `kid:seed` entry for `JWT_PRIVATE_KEYS`.
struct GenerateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-key",
        abstract: "Print a new Ed25519 signing key as a JWT_PRIVATE_KEYS entry (kid:seed)."
    )

    func run() throws {
        let key = Curve25519.Signing.PrivateKey()
        let stamp = Date().formatted(.iso8601.year().month().day())
        let suffix = String(format: "%04x", UInt16.random(in: .min ... .max))
        print("k\(stamp.replacingOccurrences(of: "-", with: ""))\(suffix):\(Base64URL.encode(key.rawRepresentation))")
    }
}
