/// The variants of an HLS master playlist, read back to check what ffmpeg wrote and to report it.
struct MasterPlaylist: Sendable, Equatable {
    /// One `#EXT-X-STREAM-INF` and the URI on the line after it.
    struct Variant: Sendable, Equatable {
        var bandwidth: Int?
        var width: Int?
        var height: Int?
        var codecs: String?
        var uri: String
    }

    var variants: [Variant]

    /// Parses `text`; lines other than stream-info tags and their URIs are ignored.
    init(_ text: String) {
        var variants: [Variant] = []
        var pending: [String: String]?
        for line in text.split(whereSeparator: \.isNewline).map({ String($0) }) {
            if line.hasPrefix("#EXT-X-STREAM-INF:") {
                pending = Self.attributes(line.dropFirst("#EXT-X-STREAM-INF:".count))
            } else if !line.hasPrefix("#"), !line.isEmpty, let attributes = pending {
                let size = attributes["RESOLUTION"]?.split(separator: "x").compactMap { Int($0) }
                variants.append(
                    Variant(
                        bandwidth: attributes["BANDWIDTH"].flatMap { Int($0) },
                        width: size?.count == 2 ? size?[0] : nil, height: size?.count == 2 ? size?[1] : nil,
                        codecs: attributes["CODECS"], uri: line))
                pending = nil
            }
        }
        self.variants = variants
    }

    /// An attribute list (`KEY=value,KEY="a,b"`) as a dictionary, quotes removed.
    static func attributes(_ list: Substring) -> [String: String] {
        var attributes: [String: String] = [:]
        var key = "", value = "", readingKey = true, quoted = false
        func finish() {
            if !key.isEmpty { attributes[key] = value }
            key = ""
            value = ""
            readingKey = true
        }
        for character in list {
            switch character {
            case "=" where readingKey: readingKey = false
            case "\"": quoted.toggle()
            case "," where !quoted: finish()
            default: if readingKey { key.append(character) } else { value.append(character) }
            }
        }
        finish()
        return attributes
    }
}
