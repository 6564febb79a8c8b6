import Foundation
import Images
import Logging
import NIOPosix
import ServiceKit

/// Category images under `<MEDIA_ROOT>/category-images`: an upload becomes a
/// 400x400 WebP on a white square (made by the platform's ffmpeg), stored as
/// `<category_id>.webp` (API §3.4).
struct CategoryImageStore: Sendable {
    /// Uploads larger than this are refused (5 MiB).
    static let maxBytes = 5 * 1024 * 1024

    let directory: String
    let renderer: SquareWebPRenderer
    let pool: NIOThreadPool
    let logger: Logger

    /// The folder where uploads wait (as files) until they are rendered.
    var incomingDirectory: String { "\(directory)/.incoming" }

    /// Creates the folders; called before an upload is streamed in.
    func prepare() async throws {
        try await pool.runIfActive { [incomingDirectory] in
            try FileManager.default.createDirectory(atPath: incomingDirectory, withIntermediateDirectories: true)
        }
    }

    /// The format of the uploaded file at `path`, judged by its first bytes; nil when it is no image.
    func format(of path: String) async throws -> ImageFormat? {
        let head = try await pool.runIfActive {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            return try handle.read(upToCount: 64) ?? Data()
        }
        return ImageFormat.sniff(head)
    }

    /// Renders the uploaded file at `input` into a new WebP beside the images; returns its path,
    /// for ``install(_:for:)`` (or removal) once the category's row is locked.
    func render(from input: String) async throws -> String {
        let output = "\(incomingDirectory)/\(UUID().uuidString.lowercased()).webp"
        try await renderer.render(input: input, output: output)
        return output
    }

    /// Moves a rendered image into place as the image of `categoryID`, replacing the old one.
    func install(_ rendered: String, for categoryID: UUID) async throws {
        let target = "\(directory)/\(Self.filename(of: categoryID))"
        try await pool.runIfActive {
            guard rename(rendered, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }

    /// Removes a file that was rendered but not installed.
    func discard(_ rendered: String) async {
        try? await pool.runIfActive { try FileManager.default.removeItem(atPath: rendered) }
    }

    /// Removes a category's image; a missing one is not an error.
    func delete(_ categoryID: UUID) async {
        let path = "\(directory)/\(Self.filename(of: categoryID))"
        try? await pool.runIfActive { try FileManager.default.removeItem(atPath: path) }
    }

    /// The path of a stored image, for a name of the form `<uuid>.webp` (never a path from input).
    func path(of name: String) -> String? {
        guard name.hasSuffix(".webp"), let id = UUID(uuidString: String(name.dropLast(5))),
              name == Self.filename(of: id) else { return nil }
        return "\(directory)/\(name)"
    }

    static func filename(of categoryID: UUID) -> String { "\(categoryID.apiString).webp" }
}
