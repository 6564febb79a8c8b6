import Configuration
import Foundation
import ServiceKit

/// The folder that holds every media file, laid out as ARCHITECTURE §6 says.
struct MediaRoot: Sendable {
    /// The subfolders media creates at start.
    static let layout = [
        "videos", "originals", "thumbnails", "temp", "temp/uploads", "temp/tus", "chunks", "category-images", "avatars",
    ]

    let url: URL

    /// Reads `media.root` and creates the layout if it is missing.
    init(reader: ConfigReader) throws {
        let path = reader.string(forKey: "media.root", default: "./media")
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        for folder in Self.layout {
            try FileManager.default.createDirectory(
                at: url.appending(path: folder, directoryHint: .isDirectory), withIntermediateDirectories: true)
        }
    }

    /// The absolute path of `relative` below the root (a path the service made, never user input).
    func path(_ relative: String) -> String { url.appending(path: relative).path }

    /// Ready when the media root can be written to.
    var readinessCheck: ReadinessCheck {
        ReadinessCheck("media_root") { [url] in
            let probe = url.appending(path: "temp/.ready-\(UUID().uuidString)")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        }
    }
}
