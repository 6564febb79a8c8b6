import Foundation
import MediaStreaming

/// Rewrites the URIs of an HLS playlist of one video into signed absolute paths, so a
/// player that fetched the playlist from the API (with its token) follows signed URLs,
/// and from there the relative URLs inside the signed tree work untouched.
struct PlaylistSigner: Sendable {
    let signer: MediaURLSigner

    /// `playlist` is the text of the file at `playlistPath` (relative to the video's folder).
    func sign(_ playlist: String, playlistPath: String, videoID: String) -> String {
        let directory = playlistPath.split(separator: "/").dropLast().joined(separator: "/")
        var lines: [String] = []
        for line in playlist.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if text.hasPrefix("#") {
                lines.append(signAttributes(text, directory: directory, videoID: videoID))
            } else if text.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(text)
            } else {
                lines.append(signed(text.trimmingCharacters(in: .whitespaces), directory: directory, videoID: videoID))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Rewrites every `URI="..."` attribute of a tag line (`#EXT-X-MAP`, `#EXT-X-MEDIA`, ...).
    private func signAttributes(_ line: String, directory: String, videoID: String) -> String {
        var result = ""
        var rest = Substring(line)
        while let start = rest.range(of: "URI=\"") {
            result += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            result += signed(String(rest[..<end]), directory: directory, videoID: videoID)
            rest = rest[end...]
        }
        return result + rest
    }

    /// A relative URI resolved against the playlist's folder and signed; others unchanged.
    private func signed(_ uri: String, directory: String, videoID: String) -> String {
        guard !uri.hasPrefix("/"), !uri.contains("://"), !uri.contains("?"), !uri.contains("#") else { return uri }
        var segments = directory.isEmpty ? [] : directory.split(separator: "/").map(String.init)
        for part in uri.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case ".", "": continue
            case "..": if segments.popLast() == nil { return uri }
            default: segments.append(String(part))
            }
        }
        let decoded = segments.map { $0.removingPercentEncoding ?? $0 }.joined(separator: "/")
        return signer.signedPath(videoID: videoID, file: decoded)
    }
}
