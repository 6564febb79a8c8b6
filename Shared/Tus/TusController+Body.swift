import Hummingbird
import NIOCore

extension TusController {
    /// What one request body added to an upload.
    struct Received {
        /// Bytes written and synced after the upload's offset.
        var bytes: Int64
        /// Why the body stopped early (the client went away), when it did.
        var interruption: (any Error)?
    }

    /// Streams `body` into `file` from `start`, at most `limit` bytes, and syncs it.
    ///
    /// The next chunk is read only once the previous write returned, so a fast client waits
    /// for the disk instead of filling memory; at most `chunkSize` bytes plus one chunk are
    /// held. When the body ends early, what arrived is kept (tus asks servers to keep partial
    /// data) unless a checksum was sent, which cannot be checked on part of a body. On any
    /// refusal (checksum mismatch, too many bytes, a failed write) the file is cut back to
    /// `start`: the offset never moved, and the next PATCH finds the file as it was.
    func receive(
        _ body: RequestBody, into file: LockedDataFile, at start: Int64, limit: Int64, checksum: TusChecksum?
    ) async throws -> Received {
        var hasher = checksum?.makeHasher()
        var pending = ByteBuffer()
        var written: Int64 = 0
        var interruption: (any Error)?
        /// Writes `buffer` after what is written and counts it.
        func write(_ buffer: ByteBuffer) async throws {
            let offset = start + written
            try await store.blocking { try file.write(buffer, at: offset) }
            written += Int64(buffer.readableBytes)
        }
        do {
            var iterator = body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await iterator.next()
                } catch {
                    interruption = error
                    break
                }
                guard let chunk = next else { break }
                guard Int64(chunk.readableBytes) <= limit - written - Int64(pending.readableBytes) else {
                    throw TusError.beyondLength
                }
                hasher?.update(chunk)
                if pending.readableBytes == 0, chunk.readableBytes >= configuration.chunkSize {
                    try await write(chunk)
                } else {
                    pending.writeImmutableBuffer(chunk)
                    if pending.readableBytes >= configuration.chunkSize {
                        try await write(pending)
                        pending.clear()
                    }
                }
            }
            if let checksum, let hasher {
                guard interruption == nil else { throw TusError.interrupted }
                guard hasher.finalize() == checksum.digest else { throw TusError.checksumMismatch }
            }
            try await write(pending)
            if written > 0 { try await store.blocking { try file.sync() } }
            return Received(bytes: written, interruption: interruption)
        } catch {
            try? await store.blocking { try file.truncate(to: start) }
            throw error
        }
    }
}
