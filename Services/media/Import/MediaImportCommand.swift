import ArgumentParser
import Configuration
import Foundation
import ImportKit
import Messaging
import ServiceKit

/// `media import`: the videos (rows, files, thumbnails, view counts, statuses) and upload
/// counters of an original Clipset.
struct MediaImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import the videos and upload counters of an original Clipset export.")

    @OptionGroup var options: ImportOptions

    func run() async throws {
        let options = options
        let document = try options.document()
        try await ImportSession.run(service: "media") { environment, client in
            let root = try MediaRoot(reader: environment.reader)
            return try await MediaImporter(
                options: options, outbox: Outbox(schema: "media", producer: "media"), root: root,
                jobAttempts: max(1, environment.reader.int(forKey: "media.job.max.attempts", default: 3)),
                logger: environment.logger
            ).run(document, client: client)
        }
    }
}
