import Foundation

/// The container a file's first bytes announce, checked before libavformat sees the
/// file (ARCHITECTURE §5.2): a text file, an image or a playlist never reaches the probe.
enum VideoSignature: String, Sendable {
    case isoMedia = "mp4"  // ISO BMFF: MP4, MOV, 3GP (`ftyp`, or QuickTime atoms)
    case matroska = "mkv"  // EBML: Matroska, WebM
    case avi
    case flv
    case mpegTS = "ts"
    case mpegPS = "mpg"
    case ogg
    case asf = "wmv"

    /// How many leading bytes ``detect(_:)`` looks at.
    static let prefixLength = 1024

    /// The container of a file starting with `bytes`, or nil when it is no video we accept.
    static func detect(_ bytes: [UInt8]) -> VideoSignature? {
        func at(_ offset: Int, _ pattern: [UInt8]) -> Bool {
            bytes.count >= offset + pattern.count && Array(bytes[offset..<offset + pattern.count]) == pattern
        }
        let ascii = { (text: String) in Array(text.utf8) }
        if at(4, ascii("ftyp")) || at(4, ascii("moov")) || at(4, ascii("mdat")) || at(4, ascii("wide")) || at(4, ascii("free")) {
            return .isoMedia
        }
        if at(0, [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        if at(0, ascii("RIFF")) && at(8, ascii("AVI ")) { return .avi }
        if at(0, ascii("FLV")) { return .flv }
        if at(0, ascii("OggS")) { return .ogg }
        if at(0, [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) { return .asf }
        if at(0, [0x00, 0x00, 0x01, 0xBA]) { return .mpegPS }
        if isTransportStream(bytes) { return .mpegTS }
        return nil
    }

    /// MPEG-TS: a sync byte every 188 bytes (192 for M2TS), at least three in a row.
    private static func isTransportStream(_ bytes: [UInt8]) -> Bool {
        for (start, stride) in [(0, 188), (4, 192)] {
            let positions = (0..<3).map { start + $0 * stride }
            if positions.allSatisfy({ $0 < bytes.count && bytes[$0] == 0x47 }) { return true }
        }
        return false
    }

    /// The file extension for a stored upload: the client's when it names this kind of
    /// container, else the container's usual one.
    func fileExtension(claimed: String) -> String {
        let claimed = claimed.lowercased()
        let family: Set<String> = switch self {
        case .isoMedia: ["mp4", "mov", "m4v", "3gp"]
        case .matroska: ["mkv", "webm"]
        case .avi: ["avi"]
        case .flv: ["flv"]
        case .mpegTS: ["ts", "m2ts", "mts"]
        case .mpegPS: ["mpg", "mpeg", "vob"]
        case .ogg: ["ogv", "ogg"]
        case .asf: ["wmv", "asf"]
        }
        return family.contains(claimed) ? claimed : rawValue
    }
}
