import Hummingbird
import NIOCore
import NIOPosix

/// What the body of a 200 or 206 holds, in file bytes and framing.
enum MediaBody: Sendable {
    /// One slice of the file as it is (the whole file, or a single range); none for an empty file.
    case ranges([ClosedRange<Int64>])
    /// Several slices as `multipart/byteranges` (RFC 9110 §14.6).
    case multipart(MultipartByteRanges)

    /// The body's exact length, the `Content-Length`.
    var length: Int64 {
        switch self {
        case .ranges(let ranges): ranges.reduce(0) { $0 + Int64($1.count) }
        case .multipart(let multipart): multipart.length
        }
    }
}

/// The framing of a `multipart/byteranges` body: each part's headers, then its bytes,
/// then the closing delimiter.
struct MultipartByteRanges: Sendable {
    /// One part: its delimiter and headers as text, and the slice of the file that follows.
    struct Part: Sendable {
        var head: String
        var range: ClosedRange<Int64>
    }

    /// Random, so it cannot occur in the file's bytes by anything but chance (2^-96).
    let boundary: String
    let parts: [Part]
    let closing: String

    init(ranges: [ClosedRange<Int64>], size: Int64, contentType: String) {
        let boundary = "clipset-" + (0..<12).map { _ in UInt8.random(in: 0...255) }.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        self.boundary = boundary
        parts = ranges.enumerated().map { index, range in
            // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            let lead = index == 0 ? "" : "\r\n"
            let head = "\(lead)--\(boundary)\r\nContent-Type: \(contentType)\r\n"
                + "Content-Range: bytes \(range.lowerBound)-\(range.upperBound)/\(size)\r\n\r\n"
            return Part(head: head, range: range)
        }
        closing = "\r\n--\(boundary)--\r\n"
    }

    /// The response's `Content-Type`.
    var contentType: String { "multipart/byteranges; boundary=\(boundary)" }

    /// Bytes of framing and file together.
    var length: Int64 {
        parts.reduce(Int64(closing.utf8.count)) { $0 + Int64($1.head.utf8.count) + Int64($1.range.count) }
    }
}

extension MediaFileResponder {
    /// A body that copies `body`'s slices of `file` to the client, then closes `file`.
    ///
    /// If the client goes away, `write` throws, the read in flight is awaited (so the
    /// descriptor is never closed under a running `pread`) and the file is closed.
    func streamingBody(_ body: MediaBody, of file: MediaFile) -> ResponseBody {
        ResponseBody(contentLength: Int(body.length)) { [threadPool, chunkSize] writer in
            defer { file.close() }
            switch body {
            case .ranges(let ranges):
                for range in ranges {
                    try await Self.copy(range, of: file, to: &writer, chunkSize: chunkSize, threadPool: threadPool)
                }
            case .multipart(let multipart):
                for part in multipart.parts {
                    try await writer.write(ByteBuffer(string: part.head))
                    try await Self.copy(part.range, of: file, to: &writer, chunkSize: chunkSize, threadPool: threadPool)
                }
                try await writer.write(ByteBuffer(string: multipart.closing))
            }
            try await writer.finish(nil)
        }
    }

    /// Writes the bytes of `range` in chunks, reading the next chunk while the current one
    /// is written, so the disk and the socket work at the same time.
    private static func copy(
        _ range: ClosedRange<Int64>, of file: MediaFile, to writer: inout any ResponseBodyWriter, chunkSize: Int,
        threadPool: NIOThreadPool
    ) async throws {
        let end = range.upperBound + 1
        func chunkLength(at offset: Int64) -> Int { Int(min(Int64(chunkSize), end - offset)) }

        var offset = range.lowerBound
        var chunk = try await file.read(at: offset, count: chunkLength(at: offset), on: threadPool)
        offset += Int64(chunk.readableBytes)
        while offset < end {
            let position = offset
            let length = chunkLength(at: offset)
            async let next = file.read(at: position, count: length, on: threadPool)
            try await writer.write(chunk)
            chunk = try await next
            offset += Int64(chunk.readableBytes)
        }
        try await writer.write(chunk)
    }
}
