import Foundation

/// One video to transcode and how.
package struct TranscodeRequest: Sendable {
    /// The uploaded file.
    package var source: TranscodeSource
    /// An empty folder that receives every output; nothing is written anywhere else.
    package var workFolder: URL
    /// The encoder to try first.
    package var encoder: VideoEncoder
    /// The libx264 settings to use when an NVENC run fails because of the encoder; `nil` takes
    /// ``VideoEncoder/derivedCPUFallback``.
    package var cpuFallback: VideoEncoder?
    /// AAC bit rate in ffmpeg notation, e.g. "192k".
    package var audioBitrate: String
    /// The tallest rung allowed (the short side for portrait video), e.g. 1080.
    package var maxHeight: Int
    /// Which files to write.
    package var layout: OutputLayout
    /// The target HLS segment length; segments start on keyframes every ``Ladder/keyframeSeconds``.
    package var segmentSeconds: Int

    package init(
        source: TranscodeSource, workFolder: URL, encoder: VideoEncoder, cpuFallback: VideoEncoder? = nil,
        audioBitrate: String = "192k", maxHeight: Int, layout: OutputLayout, segmentSeconds: Int = 6
    ) {
        self.source = source
        self.workFolder = workFolder
        self.encoder = encoder
        self.cpuFallback = cpuFallback
        self.audioBitrate = audioBitrate
        self.maxHeight = maxHeight
        self.layout = layout
        self.segmentSeconds = segmentSeconds
    }
}
