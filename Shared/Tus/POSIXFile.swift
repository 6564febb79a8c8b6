#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call that failed, with the file it was about.
package struct TusFileError: Error, CustomStringConvertible {
    package let call: String
    package let path: String
    package let code: Int32

    package var description: String { "\(call)(\(path)): \(String(cString: strerror(code)))" }
}

/// Thin, EINTR-safe wrappers of the calls the store makes.
///
/// Every function here blocks: call them only from a closure the thread pool runs.
enum POSIXFile {
    /// Retries `body` while it fails with EINTR; throws for any other failure.
    @discardableResult
    static func call<T: BinaryInteger>(_ name: String, _ path: String, _ body: () -> T) throws -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno != EINTR { throw TusFileError(call: name, path: path, code: errno) }
        }
    }

    /// Opens `path`; refuses symbolic links, closes on exec.
    static func openFile(_ path: String, flags: Int32, mode: mode_t = 0o640) throws -> Int32 {
        try call("open", path) { open(path, flags | O_CLOEXEC | O_NOFOLLOW, mode) }
    }

    /// Writes every byte of `bytes` at `offset`.
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64, path: String) throws {
        var done = 0
        while done < bytes.count {
            let count = try call("pwrite", path) {
                pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            done += count
        }
    }

    /// Makes the written data durable (not the file's times).
    static func sync(_ descriptor: Int32, path: String) throws {
        #if os(Linux)
        try call("fdatasync", path) { fdatasync(descriptor) }
        #else
        try call("fsync", path) { fsync(descriptor) }
        #endif
    }

    /// Makes a rename or a new name in `directory` durable.
    static func syncDirectory(_ directory: String) throws {
        let descriptor = try openFile(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        try call("fsync", directory) { fsync(descriptor) }
    }

    /// The file's size, from its end (no `stat`: its struct is shadowed by NIO's C shims).
    static func size(_ descriptor: Int32, path: String) throws -> Int64 {
        Int64(try call("lseek", path) { lseek(descriptor, 0, SEEK_END) })
    }

    static func truncate(_ descriptor: Int32, to size: Int64, path: String) throws {
        try call("ftruncate", path) { ftruncate(descriptor, off_t(size)) }
    }

    /// Removes `path`; a file already gone is no error.
    static func removeFile(_ path: String) throws {
        if unlink(path) != 0, errno != ENOENT { throw TusFileError(call: "unlink", path: path, code: errno) }
    }
}
