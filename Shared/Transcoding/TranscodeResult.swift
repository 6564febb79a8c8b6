/// What a successful transcode wrote to the work folder.
package struct TranscodeResult: Sendable, Equatable {
    /// The rungs, smallest first; in ``OutputLayout/progressive`` only the one in `video.mp4`.
    package var renditions: [RenditionOutput]
    /// The output's duration, from ffmpeg's last progress report.
    package var durationSeconds: Double
    /// The width of the top rung.
    package var width: Int
    /// The height of the top rung.
    package var height: Int
    /// The size of every file in the work folder.
    package var totalBytes: Int64
    /// "libx264" or "h264_nvenc": the encoder that made the files.
    package var usedEncoder: String
    /// The poster frame's file name in the work folder.
    package var thumbnailName: String
    /// The storyboard's WebVTT index in the work folder, or `nil` if there is none.
    package var storyboardName: String?

    package init(
        renditions: [RenditionOutput], durationSeconds: Double, width: Int, height: Int, totalBytes: Int64,
        usedEncoder: String, thumbnailName: String, storyboardName: String?
    ) {
        self.renditions = renditions
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
        self.totalBytes = totalBytes
        self.usedEncoder = usedEncoder
        self.thumbnailName = thumbnailName
        self.storyboardName = storyboardName
    }
}

/// One encoded rung of the ladder.
package struct RenditionOutput: Sendable, Equatable {
    /// The rung's name and folder, e.g. "720p".
    package var name: String
    package var width: Int
    package var height: Int
    /// The peak bit rate in bits/s, as the master playlist's `BANDWIDTH` says.
    package var bandwidth: Int
    /// The RFC 6381 codecs, e.g. `avc1.64001f,mp4a.40.2`, or `nil` in the progressive layout.
    package var codecs: String?
    /// The media playlist relative to the work folder, e.g. "720p/index.m3u8", or `nil` in the
    /// progressive layout.
    package var playlistPath: String?

    package init(name: String, width: Int, height: Int, bandwidth: Int, codecs: String?, playlistPath: String?) {
        self.name = name
        self.width = width
        self.height = height
        self.bandwidth = bandwidth
        self.codecs = codecs
        self.playlistPath = playlistPath
    }
}
