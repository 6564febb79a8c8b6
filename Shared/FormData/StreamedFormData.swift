#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// A file part of a `multipart/form-data` body, written to disk as it arrived.
package struct StreamedFile: Sendable, Equatable {
    /// The form field's name, from `Content-Disposition: form-data; name="..."`.
    package var name: String
    /// The file name the client sent, possibly empty; never use it as a path.
    package var filename: String
    /// The part's declared `Content-Type`, if any; a client's claim, not a fact.
    package var contentType: String?
    /// The absolute path of the file holding the part's bytes (mode 0600); the caller owns it.
    package var path: String
    /// The number of bytes in the file.
    package var size: Int64

    package init(name: String, filename: String, contentType: String?, path: String, size: Int64) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.path = path
        self.size = size
    }
}

/// A `multipart/form-data` body read by `Request.streamFormData(into:…)`: text fields in memory,
/// file parts on disk.
package struct StreamedFormData: Sendable {
    /// One text field, decoded as UTF-8 (invalid sequences become U+FFFD).
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The text fields in the order they were sent.
    package var fields: [Field]
    /// The file parts in the order they were sent.
    package var files: [StreamedFile]
    /// Where ``removeFiles()`` unlinks the files.
    private let threadPool: NIOThreadPool

    package init(fields: [Field], files: [StreamedFile], threadPool: NIOThreadPool) {
        self.fields = fields
        self.files = files
        self.threadPool = threadPool
    }

    /// The value of the first text field named `name`; `nil` when there is none.
    package func field(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first file part named `name`; `nil` when there is none.
    package func file(_ name: String) -> StreamedFile? {
        files.first { $0.name == name }
    }

    /// Deletes every file part's file, for a caller that refuses the upload; errors are ignored.
    package func removeFiles() async {
        let paths = files.map(\.path)
        await PartFile.run(on: threadPool) { PartFile.remove(paths, closing: nil) }
    }
}

/// What ``PartFileWriter`` needs of a file part's headers.
struct FilePart {
    var name: String
    var filename: String
    var contentType: String?
}

/// Bytes for a file part's file: the part, its next bytes, and whether they are its last.
struct FileBytes {
    var part: FilePart
    var data: ByteBuffer
    var isLast: Bool
}

/// Writes the file parts of one upload into a directory, on a thread pool, and remembers every
/// file it made so that a refused upload leaves none behind.
struct PartFileWriter {
    private let directory: String
    private let threadPool: NIOThreadPool
    /// Every file made so far.
    private var created: [String] = []
    /// The file being written: its open descriptor, path and size so far.
    private var current: (descriptor: CInt, path: String, size: Int64)?

    init(directory: String, threadPool: NIOThreadPool) {
        self.directory = Self.absolute(directory)
        self.threadPool = threadPool
    }

    /// Appends `bytes` to its part's file, creating the file first (`.upload-<UUID>`, O_EXCL, 0600);
    /// after a part's last bytes, syncs and closes the file and returns it.
    mutating func write(_ bytes: FileBytes) async throws -> StreamedFile? {
        let (descriptor, path, size) = current ?? (nil, "\(directory)/.upload-\(UUID().uuidString)", 0)
        if descriptor == nil { created.append(path) }
        // The job closes the descriptor when it fails; it runs even if the task is cancelled.
        current = nil
        let (data, isLast) = (bytes.data, bytes.isLast)
        let stillOpen: CInt?
        do {
            stillOpen = try await threadPool.runToCompletion {
                try PartFile.append(data, to: descriptor, creating: path, isLast: isLast)
            }
        } catch let error as NIOThreadPoolError.ThreadPoolInactive {
            current = descriptor.map { ($0, path, size) }  // never handed over: removeAll() closes it
            throw error
        }
        let written = size + Int64(data.readableBytes)
        if let stillOpen {
            current = (stillOpen, path, written)
            return nil
        }
        let part = bytes.part
        return StreamedFile(name: part.name, filename: part.filename, contentType: part.contentType, path: path, size: written)
    }

    /// `directory` as an absolute path (from the working directory if relative), without a final `/`.
    private static func absolute(_ directory: String) -> String {
        let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard !trimmed.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return trimmed }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + trimmed
    }

    /// Closes the open file, if any, and deletes every file made, ignoring errors.
    func removeAll() async {
        let (paths, descriptor) = (created, current?.descriptor)
        guard !paths.isEmpty else { return }
        await PartFile.run(on: threadPool) { PartFile.remove(paths, closing: descriptor) }
    }
}

extension NIOThreadPool {
    /// Runs `job` on the pool and waits for it; unlike `runIfActive`, a cancelled task does not drop a
    /// job that has not started, so a descriptor handed to it is never lost.
    ///
    /// - Throws: `NIOThreadPoolError.ThreadPoolInactive` when the pool has stopped (`job` did not run);
    ///   what `job` throws.
    func runToCompletion<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { state in
                guard case .active = state else { return continuation.resume(throwing: NIOThreadPoolError.ThreadPoolInactive()) }
                continuation.resume(with: Result(catching: job))
            }
        }
    }
}

/// Blocking calls on the parts' files: to be made on a `NIOThreadPool` thread only.
enum PartFile {
    /// Writes `data` to `descriptor`, or to a new file at `path` when it is `nil`; after a part's last
    /// bytes, `fdatasync`s and closes the file. Returns the descriptor while the file stays open.
    ///
    /// On an error the descriptor is closed; the file is left for the caller to remove.
    static func append(_ data: ByteBuffer, to descriptor: CInt?, creating path: String, isLast: Bool) throws -> CInt? {
        let descriptor = try descriptor ?? create(path)
        do {
            try writeAll(data, to: descriptor)
            guard isLast else { return descriptor }
            #if os(Linux)
            try check(retryingOnInterrupt { fdatasync(descriptor) }, "fdatasync")
            #else
            try check(retryingOnInterrupt { fsync(descriptor) }, "fsync")
            #endif
        } catch {
            _ = close(descriptor)
            throw error
        }
        // Linux frees the descriptor even when close fails, so it must not be retried.
        try check(close(descriptor), "close")
        return nil
    }

    /// Closes `descriptor`, if any, and unlinks `paths`, ignoring errors (a file may never have been made).
    static func remove(_ paths: [String], closing descriptor: CInt?) {
        if let descriptor { _ = close(descriptor) }
        for path in paths { _ = unlink(path) }
    }

    /// Runs `job` on `threadPool`, or right here if the pool has stopped: clean-up must happen either way.
    static func run(on threadPool: NIOThreadPool, _ job: @escaping @Sendable () -> Void) async {
        do {
            try await threadPool.runToCompletion(job)
        } catch {
            job()
        }
    }

    private static func create(_ path: String) throws -> CInt {
        let descriptor = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        try check(descriptor, "open")
        return descriptor
    }

    private static func writeAll(_ data: ByteBuffer, to descriptor: CInt) throws {
        try data.withUnsafeReadableBytes { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = write(descriptor, next, left)
                if written < 0, errno == EINTR { continue }
                try check(written, "write")
                (next, left) = (next + written, left - written)
            }
        }
    }

    /// Throws the `errno` error when `result` is negative.
    private static func check<R: BinaryInteger>(_ result: R, _ call: String) throws {
        if result < 0 { throw IOError(errnoCode: errno, reason: call) }
    }

    private static func retryingOnInterrupt<R: BinaryInteger>(_ call: () -> R) -> R {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
