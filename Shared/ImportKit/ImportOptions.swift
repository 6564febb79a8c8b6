import ArgumentParser
import Contracts
import Foundation

/// The options every service's `import` subcommand takes.
package struct ImportOptions: ParsableArguments, Sendable {
    @Option(help: "The export of the original database (scripts/lib/clipset_export.py).")
    package var export: String

    @Option(name: .customLong("media-root"), help: "The original's upload folder (videos/, thumbnails/, avatars/, category-images/).")
    package var mediaRoot: String

    @Flag(name: .customLong("dry-run"), help: "Check and count everything, write nothing.")
    package var dryRun = false

    package init() {}

    /// The export, decoded.
    package func document() throws -> ImportDocument {
        let data = try Data(contentsOf: URL(fileURLWithPath: export))
        let document = try EventCoding.decoder().decode(ImportDocument.self, from: data)
        guard document.format == "clipset-export/1" else {
            throw ValidationError("\(export) is a \(document.format) export; this Clipset reads clipset-export/1")
        }
        return document
    }

    /// A file of the original's upload folder, if `name` stays inside `folder` and exists.
    package func sourceFile(_ folder: String, _ name: String?) -> URL? {
        guard let name, !name.isEmpty, !name.contains("/"), name != "..", name != "." else { return nil }
        let url = URL(fileURLWithPath: mediaRoot).appendingPathComponent(folder).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// Thrown inside the import transaction of a dry run, so nothing is kept.
package struct DryRunRollback: Error {
    package init() {}
}
