#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOPosix
import ServiceKit

/// The uploads on disk: `<id>` holds the bytes, `<id>.info` the JSON record.
///
/// Names are built only from parsed UUIDs, never from request text. Every blocking call runs
/// on the thread pool, and once submitted it runs to its end even when the request's task is
/// cancelled, so a sequence such as write-sync-record is never cut between its steps by a
/// cancellation.
struct TusStore: Sendable {
    let directory: String
    let threadPool: NIOThreadPool

    init(directory: String, threadPool: NIOThreadPool) {
        self.directory = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.threadPool = threadPool
    }

    func dataPath(_ id: UUID) -> String { "\(directory)/\(id.apiString)" }
    func infoPath(_ id: UUID) -> String { "\(dataPath(id)).info" }
    private func temporaryInfoPath(_ id: UUID) -> String { "\(infoPath(id)).tmp" }

    /// Runs `body` on the thread pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            threadPool.submit { state in
                guard case .active = state else {
                    return continuation.resume(throwing: NIOThreadPoolError.ThreadPoolInactive())
                }
                continuation.resume(with: Result(catching: body))
            }
        }
    }

    /// The record of `id`; nil when there is none.
    func read(_ id: UUID) async throws -> TusUpload? {
        let path = infoPath(id)
        return try await blocking {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
                return nil
            }
            return try Self.decoder.decode(TusUpload.self, from: data)
        }
    }

    /// Replaces the record of `upload` atomically: a temporary file, synced, renamed over the
    /// old one, then the folder synced so the rename survives a crash. Only the lock holder
    /// writes, so one temporary name per upload is enough.
    func write(_ upload: TusUpload) async throws {
        let data = try Self.encoder.encode(upload)
        let temporary = temporaryInfoPath(upload.id), final = infoPath(upload.id), directory = directory
        try await blocking {
            let descriptor = try POSIXFile.openFile(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            do {
                try data.withUnsafeBytes { try POSIXFile.write(descriptor, $0, at: 0, path: temporary) }
                try POSIXFile.call("fsync", temporary) { fsync(descriptor) }
                close(descriptor)
            } catch {
                close(descriptor)
                throw error
            }
            try POSIXFile.call("rename", final) { rename(temporary, final) }
            try POSIXFile.syncDirectory(directory)
        }
    }

    /// Runs `body` with the data file of `id` open and locked; nil when there is no data file.
    /// - Throws: `TusError.locked` when another request holds the lock.
    func withLock<T>(_ id: UUID, _ body: (LockedDataFile) async throws -> T) async throws -> T? {
        let path = dataPath(id)
        guard let file = try await blocking({ try LockedDataFile.open(path: path, create: false) }) else {
            return nil
        }
        return try await run(body, with: file)
    }

    /// Creates the files of `upload` (an empty data file, locked, then its record) and runs
    /// `body` with the data file still locked, so no other request sees a half-made upload.
    func create<T>(_ upload: TusUpload, _ body: (LockedDataFile) async throws -> T) async throws -> T {
        let path = dataPath(upload.id), directory = directory
        let file = try await blocking {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try LockedDataFile.open(path: path, create: true)!
        }
        return try await run({ file in
            try await write(upload)
            return try await body(file)
        }, with: file)
    }

    /// Removes the files of `id`: the record first, so a crash in between leaves an orphan data
    /// file (the sweep removes it) rather than a record without its bytes.
    func remove(_ id: UUID) async throws {
        let paths = [infoPath(id), dataPath(id), temporaryInfoPath(id)]
        try await blocking {
            for path in paths { try POSIXFile.removeFile(path) }
        }
    }

    /// Runs `body` and then releases `file`, whatever `body` did.
    private func run<T>(_ body: (LockedDataFile) async throws -> T, with file: LockedDataFile) async throws -> T {
        let result: T
        do {
            result = try await body(file)
        } catch {
            try? await blocking { file.release() }
            throw error
        }
        try await blocking { file.release() }
        return result
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
