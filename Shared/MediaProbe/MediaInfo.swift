/// What the probe learned about a video file.
package struct MediaInfo: Sendable, Codable, Equatable {
    /// The demuxer's name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`.
    package var formatName: String
    /// The length in seconds.
    package var duration: Double
    /// The coded width of the video stream in pixels, before rotation.
    package var width: Int
    /// The coded height of the video stream in pixels, before rotation.
    package var height: Int
    /// The video codec, e.g. `h264`, `hevc`, `vp9`, `av1`.
    package var videoCodec: String
    /// The first audio stream's codec, e.g. `aac`, `opus`; `nil` without audio.
    package var audioCodec: String?
    /// Frames per second, from the average frame rate or else the real base frame rate; 0 if unknown.
    package var frameRate: Double
    /// The display rotation, 0, 90, 180 or 270 degrees counter-clockwise, as ffprobe reports it
    /// (`av_display_rotation_get`, the convention of ffmpeg's `-display_rotation`): a phone's
    /// portrait clip, stored landscape and shown turned a quarter clockwise, is 270.
    package var rotation: Int
    /// The overall bit rate in bits per second, `nil` if unknown.
    package var bitRate: Int?
    /// The pixel format, e.g. `yuv420p`, `yuv420p10le`; `nil` if unknown.
    package var pixelFormat: String?
    /// The colour primaries, e.g. `bt709`, `bt2020`; `nil` if unspecified.
    package var colorPrimaries: String?
    /// The transfer characteristic, e.g. `bt709`, `smpte2084` (PQ), `arib-std-b67` (HLG); `nil` if unspecified.
    package var colorTransfer: String?
    /// The matrix coefficients, e.g. `bt709`, `bt2020nc`; `nil` if unspecified.
    package var colorSpace: String?
    /// `tv` (limited) or `pc` (full) range; `nil` if unspecified.
    package var colorRange: String?
    /// Whether the file has an audio stream.
    package var hasAudio: Bool

    /// The width as displayed: the height when the video is turned by 90 or 270 degrees.
    package var displayWidth: Int { rotation % 180 == 0 ? width : height }
    /// The height as displayed: the width when the video is turned by 90 or 270 degrees.
    package var displayHeight: Int { rotation % 180 == 0 ? height : width }

    /// Creates a description of a file; used by the probe and by tests of callers.
    package init(
        formatName: String,
        duration: Double,
        width: Int,
        height: Int,
        videoCodec: String,
        audioCodec: String?,
        frameRate: Double,
        rotation: Int = 0,
        bitRate: Int? = nil,
        pixelFormat: String? = nil,
        colorPrimaries: String? = nil,
        colorTransfer: String? = nil,
        colorSpace: String? = nil,
        colorRange: String? = nil
    ) {
        self.formatName = formatName
        self.duration = duration
        self.width = width
        self.height = height
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.frameRate = frameRate
        self.rotation = rotation
        self.bitRate = bitRate
        self.pixelFormat = pixelFormat
        self.colorPrimaries = colorPrimaries
        self.colorTransfer = colorTransfer
        self.colorSpace = colorSpace
        self.colorRange = colorRange
        self.hasAudio = audioCodec != nil
    }
}
