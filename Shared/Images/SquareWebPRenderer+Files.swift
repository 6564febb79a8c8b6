import Foundation

extension SquareWebPRenderer {
    /// The format of the file at `path`, from its first bytes.
    ///
    /// This and the other file operations here are single small system calls on local files
    /// (a read of ``ImageFormat/sniffLength`` bytes, a rename, an unlink); the expensive part,
    /// decoding, runs in ffmpeg's process.
    ///
    /// - Throws: ``ImageProcessingError/unsupportedFormat`` for anything not recognised; a
    ///   Foundation error if the file cannot be opened.
    static func sniffFile(at path: String) throws -> ImageFormat {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let head = try handle.read(upToCount: ImageFormat.sniffLength) ?? Data()
        guard let format = ImageFormat.sniff(head) else { throw ImageProcessingError.unsupportedFormat }
        return format
    }

    /// A unique hidden file name in the same folder as `output`, so the final rename stays on
    /// one file system and is atomic.
    static func temporaryPath(beside output: String) -> String {
        let url = URL(fileURLWithPath: output)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Atomically replaces `destination` with `source` (rename(2)).
    static func moveIntoPlace(_ source: String, _ destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Deletes `path` if it exists; a missing file is not an error.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
