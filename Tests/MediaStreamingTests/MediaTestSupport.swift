import Foundation
import HTTPTypes
import Hummingbird
import MediaStreaming
import NIOPosix
import ServiceKit
import TestSupport

/// A scratch folder of media files for one test.
struct MediaFolder: ScratchFolder {
    let directory: URL

    init() throws {
        directory = try makeScratchDirectory(prefix: "media-streaming")
    }

    /// Writes `count` random bytes to `name` and returns them.
    @discardableResult
    func randomFile(_ name: String, count: Int) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                var word = generator.next()
                let length = min(8, buffer.count - offset)
                withUnsafeBytes(of: &word) { buffer[offset..<(offset + length)].copyBytes(from: $0.prefix(length)) }
                offset += length
            }
        }
        try file(name, bytes: bytes)
        return bytes
    }

    /// Whether this process holds a descriptor open on `name` (read from `/proc/self/fd`).
    func isOpen(_ name: String) throws -> Bool {
        let target = directory.appendingPathComponent(name).resolvingSymlinksInPath().path
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return descriptors.contains { descriptor in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")) == target
        }
    }
}

/// The route tests' application: `GET`/`HEAD /files/{name}` serves `name` from `folder`
/// as `video/mp4` with a `Cache-Control`, behind ServiceKit's error middleware.
func makeMediaApp(folder: MediaFolder, chunkSize: Int = 512 * 1024) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ErrorMiddleware())
    let responder = MediaFileResponder(threadPool: .singleton, chunkSize: chunkSize)
    let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
        let name = try context.parameters.require("name")
        return try await responder.response(
            for: request, file: folder.directory.appendingPathComponent(name), contentType: "video/mp4",
            headers: [.cacheControl: "public, max-age=3600"], notFoundMessage: "Video file not found"
        )
    }
    router.get("files/:name", use: serve)
    router.head("files/:name", use: serve)
    return Application(router: router)
}

extension Array where Element == UInt8 {
    /// The bytes of an inclusive byte range, as a server should send them.
    subscript(bytes range: ClosedRange<Int>) -> [UInt8] { Array(self[range]) }
}
