#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import Synchronization

/// What `fstat` says about an open file: its size and what identifies this version of it.
struct MediaFileInfo: Sendable, Equatable {
    var size: Int64
    var device: UInt64
    var inode: UInt64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64
}

/// One open regular file: opened once, read with `pread` on a thread pool, closed exactly once.
///
/// Why not `NonBlockingFileIO`: the ETag must describe the file that is actually read, so
/// it comes from `fstat` of the open descriptor (inode, device, nanosecond mtime), which
/// `NonBlockingFileIO` does not offer, and an `NIOFileHandle` must be closed by hand (it
/// asserts in `deinit`), while Hummingbird may drop a response body without running it
/// (a client that left before the head was written). This type does the same `pread` on
/// the same `NIOThreadPool` as `NonBlockingFileIO`, and closes itself in `deinit` as a last resort.
final class MediaFile: Sendable {
    /// Size and identity, read once when the file was opened.
    let info: MediaFileInfo
    private let descriptor: CInt
    private let isClosed = Atomic<Bool>(false)

    private init(descriptor: CInt, info: MediaFileInfo) {
        self.descriptor = descriptor
        self.info = info
    }

    deinit { close() }

    /// Why a file could not be served.
    enum OpenFailure: Error {
        /// Missing, not a regular file (a folder, a FIFO), or a path through a non-folder.
        case notFound
    }

    /// Opens the regular file at `path`; blocking, so call it on a thread pool.
    ///
    /// `O_NONBLOCK` keeps `open` from hanging on a FIFO planted in the media folder (it is
    /// then refused as not regular); it has no effect on reads of a regular file.
    static func open(path: String) throws -> MediaFile {
        let descriptor = openForReading(path)
        guard descriptor >= 0 else {
            let code = errno
            if [ENOENT, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG].contains(code) { throw OpenFailure.notFound }
            throw IOError(errnoCode: code, reason: "open")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            closeDescriptor(descriptor)
            throw IOError(errnoCode: code, reason: "fstat")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            closeDescriptor(descriptor)
            throw OpenFailure.notFound
        }
        #if canImport(Darwin)
        let modified = status.st_mtimespec
        #else
        let modified = status.st_mtim
        #endif
        let info = MediaFileInfo(
            size: Int64(status.st_size), device: UInt64(status.st_dev), inode: UInt64(status.st_ino),
            modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec)
        )
        return MediaFile(descriptor: descriptor, info: info)
    }

    /// Exactly `count` bytes from `offset`, read on `threadPool` into a fresh buffer.
    ///
    /// - Throws: when the file is shorter than that now (it was truncated while being
    ///   served): the response already promised a `Content-Length`, so the connection must
    ///   be cut rather than the body silently shortened.
    func read(at offset: Int64, count: Int, on threadPool: NIOThreadPool) async throws -> ByteBuffer {
        try await threadPool.runIfActive { [descriptor] in
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            while buffer.readableBytes < count {
                let wanted = count - buffer.readableBytes
                let position = offset + Int64(buffer.readableBytes)
                let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer in
                    var result: Int
                    repeat {
                        result = pread(descriptor, pointer.baseAddress, wanted, off_t(position))
                    } while result < 0 && errno == EINTR
                    guard result >= 0 else { throw IOError(errnoCode: errno, reason: "pread") }
                    return result
                }
                guard got > 0 else { throw IOError(errnoCode: EIO, reason: "file ended at \(position), expected \(count) bytes from \(offset)") }
            }
            return buffer
        }
    }

    /// Closes the descriptor; later calls do nothing.
    ///
    /// Safe without a thread pool: `close` of a file opened read-only does not wait on the disk.
    /// Never called while a read is running: the body writer awaits every read first.
    func close() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        closeDescriptor(descriptor)
    }
}

/// `open(2)` for reading, retried on `EINTR`; the descriptor or -1 with `errno` set.
private func openForReading(_ path: String) -> CInt {
    var descriptor: CInt
    repeat {
        descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    } while descriptor < 0 && errno == EINTR
    return descriptor
}

/// `close(2)`; its error is of no use for a descriptor that was only read.
private func closeDescriptor(_ descriptor: CInt) {
    _ = close(descriptor)
}
