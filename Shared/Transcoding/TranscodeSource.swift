/// The uploaded video a transcode reads, as the probe described it.
package struct TranscodeSource: Sendable, Equatable {
    /// The absolute path of the file; the only file a transcode reads.
    package var path: String
    /// The container's duration, used for progress, the thumbnail time and the storyboard.
    package var durationSeconds: Double
    /// The display width, after rotation and with square pixels.
    package var width: Int
    /// The display height, after rotation and with square pixels.
    package var height: Int
    /// Whether the file has an audio stream; without one the outputs are video only.
    package var hasAudio: Bool

    package init(path: String, durationSeconds: Double, width: Int, height: Int, hasAudio: Bool) {
        self.path = path
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
        self.hasAudio = hasAudio
    }
}
