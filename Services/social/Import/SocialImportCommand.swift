import ArgumentParser
import Configuration
import Foundation
import ImportKit
import Messaging
import ServiceKit

/// `social import`: the categories (with images), playlists and comments of an original Clipset.
struct SocialImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import the categories, playlists and comments of an original Clipset export.")

    @OptionGroup var options: ImportOptions

    func run() async throws {
        let options = options
        let document = try options.document()
        try await ImportSession.run(service: "social") { environment, client in
            let images = URL(fileURLWithPath: environment.reader.string(forKey: "media.root", default: "./media"))
                .appendingPathComponent("category-images")
            return try await SocialImporter(
                options: options, outbox: Outbox(schema: "social", producer: "social"), images: images,
                logger: environment.logger
            ).run(document, client: client)
        }
    }
}
