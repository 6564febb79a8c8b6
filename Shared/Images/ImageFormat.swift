/// An image file format Clipset accepts for upload, recognised by its magic bytes.
///
/// The `Content-Type` a client declares and the file name's extension are never trusted:
/// only ``sniff(_:)`` decides what an upload is.
package enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png
    case gif
    case webp
    case bmp

    /// How many leading bytes ``sniff(_:)`` needs at most to decide.
    package static let sniffLength = 18

    /// Recognises the format from the first bytes of a file, or `nil` for anything else
    /// (text, video, a truncated header).
    package static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(sniffLength))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), head[8..<12].elementsEqual("WEBP".utf8) {
            return .webp
        }
        if isBitmap(head) { return .bmp }
        return nil
    }

    /// "BM" alone would match plain text, so the BMP file header must also be plausible:
    /// a known DIB header size, and pixel data that starts after both headers.
    private static func isBitmap(_ head: [UInt8]) -> Bool {
        guard head.count >= 18, head.starts(with: Array("BM".utf8)) else { return false }
        let dataOffset = littleEndian(head[10..<14])
        let dibHeaderSize = littleEndian(head[14..<18])
        let knownDIBHeaderSizes: Set<UInt32> = [12, 16, 40, 52, 56, 64, 108, 124]
        return knownDIBHeaderSizes.contains(dibHeaderSize) && dataOffset >= 14 + dibHeaderSize
    }

    /// A 32-bit little-endian integer from four bytes.
    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The ffmpeg demuxer that reads this format, forced so ffmpeg never guesses from content
    /// or file name (a guess could pick a playlist, SVG or other reader that opens more files).
    var ffmpegDemuxer: String {
        switch self {
        case .jpeg: "jpeg_pipe"
        case .png: "png_pipe"
        case .gif: "gif"
        case .webp: "webp_pipe"
        case .bmp: "bmp_pipe"
        }
    }
}
