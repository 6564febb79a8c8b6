/// The H.264 encoder a transcode uses and its settings.
package enum VideoEncoder: Sendable, Equatable {
    /// libx264 with a constant rate factor, capped per rung by the ladder's bit rate budget.
    case cpu(preset: String, crf: Int)
    /// NVIDIA's h264_nvenc on one GPU; `maxBitrate` and `bufferSize` (ffmpeg notation, e.g. "8M")
    /// cap every rung's own budget.
    case nvenc(deviceID: Int, preset: String, cq: Int, rateControl: String, maxBitrate: String, bufferSize: String)

    /// The ffmpeg encoder name, as ``TranscodeResult/usedEncoder`` reports it.
    package var ffmpegName: String {
        switch self {
        case .cpu: "libx264"
        case .nvenc: "h264_nvenc"
        }
    }

    /// The libx264 settings used when NVENC fails: the `medium` preset and a CRF near the CQ.
    package var derivedCPUFallback: VideoEncoder {
        switch self {
        case .cpu: self
        case .nvenc(_, _, let cq, _, _, _): .cpu(preset: "medium", crf: min(max(cq, 18), 28))
        }
    }
}
