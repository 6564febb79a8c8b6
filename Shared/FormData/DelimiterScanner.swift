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

/// Finds each `\r\n--boundary` in a body that arrives in pieces, also one split between pieces.
struct DelimiterScanner {
    private let delimiter: [UInt8]
    /// The last bytes seen since the last match, fewer than a delimiter: the start of one that the
    /// next piece may finish. Delimiters cannot overlap: a boundary holds no CR.
    private var tail: [UInt8] = []

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// How many bytes of `piece` come up to the end of the first delimiter that ends in it; `nil`
    /// when none does, and then all of `piece` counts as seen.
    mutating func endOfDelimiter(in piece: ByteBuffer) -> Int? {
        let bytes = piece.readableBytesView
        let keep = delimiter.count - 1
        var border = tail
        border.append(contentsOf: bytes.prefix(keep))
        let tailCount = tail.count
        // A match in `border` starts in the tail: the rest of it is shorter than a delimiter.
        if let end = border.withUnsafeBytes({ Self.end(of: delimiter, in: $0) }) {
            tail = []
            return end - tailCount
        }
        if let end = piece.withUnsafeReadableBytes({ Self.end(of: delimiter, in: $0) }) {
            tail = []
            return end
        }
        tail = bytes.count >= keep ? Array(bytes.suffix(keep)) : Array(border.suffix(keep))
        return nil
    }

    /// The offset just after the first `needle` in `haystack`. `memchr` skips to each CR, which is
    /// rare in a body, so this keeps pace with the disk.
    private static func end(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        let lastStart = haystack.count - needle.count
        return needle.withUnsafeBytes { needle in
            var start = 0
            while start <= lastStart, let hit = memchr(base + start, CInt(needle[0]), lastStart - start + 1) {
                let offset = base.distance(to: hit)
                if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return offset + needle.count }
                start = offset + 1
            }
            return nil
        }
    }
}
