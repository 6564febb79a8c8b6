import Foundation
import Images
import Logging
import NIOCore
import NIOPosix

/// Avatar files under `<MEDIA_ROOT>/avatars`: uploads become 256x256 WebP
/// images on a white square (made by the platform's ffmpeg), named
/// `<user_id>_<8 hex>.webp` so a new one never hits an old cached copy.
struct AvatarStore: Sendable {
    /// Uploads larger than this are refused (2 MiB).
    static let maxBytes = 2 * 1024 * 1024

    let directory: String
    let renderer: SquareWebPRenderer
    let pool: NIOThreadPool
    let logger: Logger

    /// Renders `bytes` into a new avatar file of `userID` and returns its name.
    func save(_ bytes: ByteBuffer, for userID: UUID) async throws -> String {
        let name = "\(userID.uuidString.lowercased())_\(String(format: "%08x", UInt32.random(in: .min ... .max))).webp"
        let input = "\(directory)/.incoming-\(UUID().uuidString)"
        try await pool.runIfActive { [directory] in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: input, contents: Data(bytes.readableBytesView)) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        defer { try? FileManager.default.removeItem(atPath: input) }
        try await renderer.render(input: input, output: "\(directory)/\(name)")
        return name
    }

    /// Removes an avatar file; a missing one is not an error.
    func delete(_ name: String) async {
        guard Self.isAvatarName(name) else { return }
        try? await pool.runIfActive { [directory] in try FileManager.default.removeItem(atPath: "\(directory)/\(name)") }
    }

    /// The path of a stored avatar, for a name that has the avatar shape (never a path from input).
    func path(of name: String) -> String? {
        Self.isAvatarName(name) ? "\(directory)/\(name)" : nil
    }

    /// `<uuid>_<8 hex>.webp` and nothing else.
    static func isAvatarName(_ name: String) -> Bool {
        guard name.hasSuffix(".webp") else { return false }
        let stem = name.dropLast(5)
        let parts = stem.split(separator: "_")
        guard parts.count == 2, UUID(uuidString: String(parts[0])) != nil, parts[1].count == 8 else { return false }
        return parts[1].allSatisfy(\.isHexDigit) && parts[0] == parts[0].lowercased()
    }
}
