#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import NIOPosix
import ServiceKit

extension Request {
    /// Reads a `multipart/form-data` body chunk by chunk: text fields stay in memory, file parts
    /// (parts with a `filename`) go to new files in `directory`, so a file of any size costs about
    /// one write batch of memory.
    ///
    /// File bytes are written on `threadPool` in batches of about 512 KiB, and the next body chunk
    /// is read only once the last batch is written: a slow disk slows the client down instead of
    /// filling memory. Each file is `fdatasync`ed once, when its part ends. On any error, a
    /// cancelled task or a body that stops before its close delimiter included, every file made
    /// is removed before the error is thrown; on success the caller owns the files (see
    /// ``StreamedFormData/removeFiles()``).
    ///
    /// - Parameters:
    ///   - directory: an existing directory for the files, named `.upload-<UUID>`, mode 0600.
    ///   - maxFieldBytes: the longest text field accepted.
    ///   - maxParts: the most parts accepted, so that many small fields cannot fill memory.
    ///   - maxFileBytes: the largest file part accepted.
    ///   - tooLarge: the error thrown for a larger file part, e.g. a 413 naming the limit.
    ///   - threadPool: where the blocking file calls run.
    ///   - writeBatchBytes: the file bytes gathered per write (tests make it small).
    /// - Throws: `tooLarge()`; a 413 `APIError` for a longer field or more parts; a 400 `APIError`
    ///   ("There was an error parsing the body") when the `Content-Type` is not `multipart/form-data`
    ///   with a boundary, or the body is malformed or truncated; `CancellationError`; errors from
    ///   reading the body or writing the files.
    package func streamFormData(
        into directory: String,
        maxFieldBytes: Int = 64 * 1024,
        maxParts: Int = 32,
        maxFileBytes: Int64,
        tooLarge: @escaping @Sendable () -> APIError,
        threadPool: NIOThreadPool,
        writeBatchBytes: Int = 512 * 1024
    ) async throws -> StreamedFormData {
        guard let boundary = FormDataParser.boundary(contentType: headers[.contentType]) else {
            throw FormDataParser.malformed
        }
        let limits = StreamedPartCollector.Limits(
            writeBatchBytes: max(1, writeBatchBytes), maxFieldBytes: maxFieldBytes, maxParts: maxParts, maxFileBytes: maxFileBytes, tooLarge: tooLarge)
        let collector = StreamedPartCollector(limits: limits)
        var feeder = MultipartFeeder(boundary: boundary, collector: collector)
        var writer = PartFileWriter(directory: directory, threadPool: threadPool)
        var files: [StreamedFile] = []
        do {
            for try await var chunk in body {
                try Task.checkCancellation()
                while chunk.readableBytes > 0, !feeder.isComplete {
                    // Small pieces bound what one pass of the parser leaves to be written.
                    let piece = chunk.readSlice(length: min(chunk.readableBytes, MultipartFeeder.pieceBytes))!
                    try feeder.feed(piece)
                    for bytes in collector.takeFileBytes() {
                        if let file = try await writer.write(bytes) { files.append(file) }
                    }
                }
                // What follows the close delimiter is an epilogue, which Hummingbird drains.
                if feeder.isComplete { break }
            }
            try Task.checkCancellation()
            guard feeder.isComplete else { throw FormDataParser.malformed }
            return StreamedFormData(fields: collector.fields, files: files, threadPool: threadPool)
        } catch {
            await writer.removeAll()
            throw error
        }
    }
}
