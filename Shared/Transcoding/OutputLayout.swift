/// Which files a transcode leaves in the work folder.
package enum OutputLayout: Sendable, Equatable {
    /// Every rung as fMP4 HLS under `<rung>/`, `master.m3u8`, and the top rung as `video.mp4`.
    case hls
    /// The top rung only, as `video.mp4`.
    case progressive
}
