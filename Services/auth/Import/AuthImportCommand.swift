import ArgumentParser
import Configuration
import Foundation
import ImportKit
import Messaging
import ServiceKit

/// `auth import`: the users and invitations of an original Clipset (see `scripts/clipset import`).
struct AuthImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import the users and invitations of an original Clipset export.")

    @OptionGroup var options: ImportOptions

    @Option(name: .customLong("user-map-out"), help: "Where to write {source user id: Clipset user id} for merged users.")
    var userMapOut: String

    func run() async throws {
        let (options, userMapOut) = (options, userMapOut)
        let document = try options.document()
        try await ImportSession.run(service: "auth") { environment, client in
            let importer = AuthImporter(
                options: options, outbox: Outbox(schema: "auth", producer: "auth"),
                avatars: URL(fileURLWithPath: environment.reader.string(forKey: "media.root", default: ".local/media"))
                    .appendingPathComponent("avatars"),
                logger: environment.logger)
            let (report, merged) = try await importer.run(document, client: client)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let map = Dictionary(uniqueKeysWithValues: merged.map { ($0.key.apiString, $0.value.apiString) })
            try encoder.encode(map).write(to: URL(fileURLWithPath: userMapOut))
            return report
        }
    }
}
