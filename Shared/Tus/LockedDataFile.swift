#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An upload's data file, open and holding its exclusive `flock` until closed.
///
/// The lock is on the data file, never on the info file: the info file is replaced by a
/// rename, and a lock on the replaced inode would not exclude a request that opens the new
/// one. Every replica sharing the folder takes the same lock (on Linux `flock` also works
/// over NFS, where the kernel emulates it with a byte-range lock).
///
/// Every method blocks: call them only from a closure the thread pool runs.
struct LockedDataFile: Sendable {
    let descriptor: Int32
    let path: String

    /// Opens and locks the file at `path`, creating it when `create` is set (it must not exist).
    /// - Returns: nil when the file does not exist.
    /// - Throws: `TusError.locked` when another request, of any replica, holds the lock.
    static func open(path: String, create: Bool) throws -> LockedDataFile? {
        let flags = create ? O_RDWR | O_CREAT | O_EXCL : O_RDWR
        let descriptor: Int32
        do {
            descriptor = try POSIXFile.openFile(path, flags: flags)
        } catch let error as TusFileError where error.code == ENOENT && !create {
            return nil
        }
        let locked = flock(descriptor, LOCK_EX | LOCK_NB)
        if locked != 0 {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw TusError.locked }
            throw TusFileError(call: "flock", path: path, code: code)
        }
        return LockedDataFile(descriptor: descriptor, path: path)
    }

    func size() throws -> Int64 {
        try POSIXFile.size(descriptor, path: path)
    }

    func truncate(to size: Int64) throws {
        try POSIXFile.truncate(descriptor, to: size, path: path)
    }

    /// Writes all of `buffer` at `offset` (positioned, so a retried write lands in the same place).
    func write(_ buffer: ByteBuffer, at offset: Int64) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            try POSIXFile.write(descriptor, bytes, at: offset, path: path)
        }
    }

    /// Makes what was written durable; the offset may be recorded only after this.
    func sync() throws {
        try POSIXFile.sync(descriptor, path: path)
    }

    /// Closes the file, which releases the lock.
    func release() {
        _ = close(descriptor)
    }
}
