import Foundation
import Hummingbird
import MediaStreaming
import ServiceKit

/// One rung of a video's HLS ladder, as the worker records it.
struct Rendition: Codable, Sendable {
    var height: Int
    var width: Int?
    var bandwidth: Int
}

/// `stream-info` (API §3.5 and Part A): how to play a video, or why it cannot be played yet.
///
/// A ready video: `format` `hls` with `manifest_url` (the API route, which signs the
/// playlist's URLs) or `progressive` with `stream_url`; always `progressive_url`,
/// `renditions` (height, bandwidth), `thumbnail_url` and `storyboard_url` as signed URLs
/// (null when missing). Not ready: `format` `unknown`, `ready` false, the plain status
/// and `processing_progress`.
struct StreamInfoBody: ResponseEncodable {
    let video: VideoRecord
    let signer: MediaURLSigner?

    enum Keys: String, CodingKey {
        case format, ready, renditions
        case manifestURL = "manifest_url", streamURL = "stream_url", progressiveURL = "progressive_url"
        case signedManifestURL = "signed_manifest_url", thumbnailURL = "thumbnail_url", storyboardURL = "storyboard_url"
        case processingStatus = "processing_status", processingProgress = "processing_progress", errorMessage = "error_message"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(video.status.rawValue, forKey: .processingStatus)
        guard let signer, video.status == .completed else {
            try c.encode("unknown", forKey: .format)
            try c.encode(false, forKey: .ready)
            try c.encode(video.progress, forKey: .processingProgress)
            try c.encode(video.errorMessage, forKey: .errorMessage)
            return
        }
        let id = video.id.apiString
        let isHLS = video.outputFormat == "hls"
        try c.encode(isHLS ? "hls" : "progressive", forKey: .format)
        try c.encode(true, forKey: .ready)
        if isHLS {
            try c.encode("/api/videos/\(video.shortID)/hls/\(VideoFiles.masterPlaylistName)", forKey: .manifestURL)
            try c.encode(signer.signedPath(videoID: id, file: VideoFiles.masterPlaylistName), forKey: .signedManifestURL)
        }
        try c.encode("/api/videos/\(video.shortID)/stream", forKey: .streamURL)
        try c.encode(signer.signedPath(videoID: id, file: VideoFiles.progressiveName), forKey: .progressiveURL)
        let renditions = (try? JSONDecoder().decode([Rendition].self, from: Data(video.renditionsJSON.utf8))) ?? []
        try c.encode(renditions.map { ["height": $0.height, "bandwidth": $0.bandwidth] }, forKey: .renditions)
        try c.encode(video.thumbnailFilename.map { signer.signedPath(videoID: id, file: $0) }, forKey: .thumbnailURL)
        try c.encode(video.storyboardFilename.map { signer.signedPath(videoID: id, file: $0) }, forKey: .storyboardURL)
    }
}
