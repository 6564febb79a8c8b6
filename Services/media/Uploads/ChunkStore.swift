import Foundation
import NIOPosix

/// The chunks of chunked upload sessions on disk: `chunks/<session>/chunk_<index, 5 digits>`
/// (API §4.1). Every call blocks on the file system, so each runs on the thread pool.
struct ChunkStore: Sendable {
    let folder: URL
    let threadPool: NIOThreadPool

    /// Moves a received chunk file into place; a chunk sent again replaces the old one.
    func store(_ receivedPath: String, session: UUID, index: Int) async throws {
        let sessionFolder = folder(of: session)
        try await threadPool.runIfActive {
            try FileManager.default.createDirectory(at: sessionFolder, withIntermediateDirectories: true)
            let destination = sessionFolder.appending(path: Self.name(of: index)).path
            guard rename(receivedPath, destination) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }

    /// The chunks held, by index, with their sizes.
    func chunks(of session: UUID) async throws -> [Int: Int64] {
        let sessionFolder = folder(of: session)
        return try await threadPool.runIfActive {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: sessionFolder.path)) ?? []
            var chunks: [Int: Int64] = [:]
            for name in names where name.hasPrefix("chunk_") {
                guard let index = Int(name.dropFirst("chunk_".count)) else { continue }
                let attributes = try FileManager.default.attributesOfItem(atPath: sessionFolder.appending(path: name).path)
                chunks[index] = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            }
            return chunks
        }
    }

    /// Concatenates chunks `0..<count` into a new file at `path`, synced to disk; returns its size.
    /// Copies 1 MiB at a time, so memory stays flat whatever the size.
    func merge(_ session: UUID, count: Int, into path: String) async throws -> Int64 {
        let sessionFolder = folder(of: session)
        return try await threadPool.runIfActive {
            let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard output >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            var total: Int64 = 0
            do {
                defer { close(output) }
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                for index in 0..<count {
                    let input = open(sessionFolder.appending(path: Self.name(of: index)).path, O_RDONLY | O_CLOEXEC)
                    guard input >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                    defer { close(input) }
                    while true {
                        let read = buffer.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
                        if read < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                        if read == 0 { break }
                        try Self.writeAll(output, buffer, count: read)
                        total += Int64(read)
                    }
                }
                guard fdatasync(output) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                unlink(path)
                throw error
            }
            return total
        }
    }

    /// Removes a session's chunks.
    func remove(_ session: UUID) async {
        let sessionFolder = folder(of: session)
        _ = try? await threadPool.runIfActive { try? FileManager.default.removeItem(at: sessionFolder) }
    }

    /// Session folders on disk (to find those whose session row is gone).
    func sessionsOnDisk() async throws -> [UUID] {
        try await threadPool.runIfActive { [folder] in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap(UUID.init(uuidString:))
        }
    }

    private func folder(of session: UUID) -> URL {
        folder.appending(path: session.uuidString.lowercased(), directoryHint: .isDirectory)
    }

    static func name(of index: Int) -> String { String(format: "chunk_%05d", index) }

    private static func writeAll(_ descriptor: Int32, _ buffer: [UInt8], count: Int) throws {
        var written = 0
        while written < count {
            let result = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += result
        }
    }
}
