/// The `Content-Type` of the media files Clipset serves, chosen by file extension.
package enum MediaContentType {
    /// Media types by lower-case extension: HLS playlists and segments (MPEG-TS and fMP4/CMAF),
    /// progressive MP4, thumbnails, storyboard sprites and their WebVTT index.
    static let byExtension: [String: String] = [
        "m3u8": "application/vnd.apple.mpegurl",
        "m4s": "video/iso.segment",
        "mp4": "video/mp4",
        "ts": "video/mp2t",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "vtt": "text/vtt",
        "webp": "image/webp",
    ]

    /// The media type of the file at `path` (a name or a path; only its last extension
    /// counts, case-insensitively), or `nil` for a file Clipset does not serve as media.
    package static func forFile(_ path: String) -> String? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }
}
