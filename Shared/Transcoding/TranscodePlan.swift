/// Everything one ffmpeg run produces, decided before it starts: the rungs, the encoder settings,
/// the poster and the storyboard. ``arguments(inputPath:)`` turns it into a command line.
struct TranscodePlan: Sendable {
    /// The top rung's progressive MP4 in the work folder.
    static let progressiveName = "video.mp4"
    /// The HLS master playlist in the work folder.
    static let masterName = "master.m3u8"
    /// Every rung's media playlist, in the rung's folder.
    static let mediaPlaylistName = "index.m3u8"

    let source: TranscodeSource
    /// Every rung encoded: the whole ladder for HLS, the top rung alone for progressive.
    let rungs: [Rung]
    let layout: OutputLayout
    let encoder: VideoEncoder
    let audioBitrate: Int
    let segmentSeconds: Int
    let threads: Int?
    let thumbnail: ThumbnailPlan
    let storyboard: StoryboardPlan

    /// The plan for `request` encoded with `encoder` (the request's own, or its CPU fallback).
    init(request: TranscodeRequest, encoder: VideoEncoder, threads: Int?) throws(TranscodeError) {
        guard let audioBitrate = Bitrate.bitsPerSecond(request.audioBitrate) else {
            throw .encoderFailed("audio bit rate \"\(request.audioBitrate)\" is not a bit rate")
        }
        let source = request.source
        let ladder = Ladder.rungs(for: source, maxHeight: request.maxHeight)
        self.source = source
        self.rungs = request.layout == .hls ? ladder : Array(ladder.suffix(1))
        self.layout = request.layout
        self.encoder = encoder
        self.audioBitrate = audioBitrate
        self.segmentSeconds = max(1, request.segmentSeconds)
        self.threads = threads.map { max(1, $0) }
        self.thumbnail = ThumbnailPlan(durationSeconds: source.durationSeconds, width: source.width, height: source.height)
        self.storyboard = StoryboardPlan(durationSeconds: source.durationSeconds, width: source.width, height: source.height)
    }

    /// Seconds between forced keyframes: every segment boundary must fall on one.
    var keyframeSeconds: Int { min(Ladder.keyframeSeconds, segmentSeconds) }

    /// The `BANDWIDTH` ffmpeg's HLS muxer declares for `rung`: its `-maxrate` plus the audio, plus
    /// 10 % for the container, so the progressive layout reports the same figure.
    func bandwidth(of rung: Rung) -> Int {
        let total = encoderMaxBitrate(for: rung) + (source.hasAudio ? audioBitrate : 0)
        return total + total / 10
    }

    /// The rung's `-maxrate`: its budget, under NVENC also capped by the configured maximum.
    func encoderMaxBitrate(for rung: Rung) -> Int {
        guard case .nvenc(_, _, _, _, let maxBitrate, _) = encoder, let cap = Bitrate.bitsPerSecond(maxBitrate) else {
            return rung.maxBitrate
        }
        return min(rung.maxBitrate, cap)
    }

    /// The rung's `-bufsize`: twice the rate, or under NVENC the configured buffer-to-rate ratio.
    func encoderBufferSize(for rung: Rung) -> Int {
        guard case .nvenc(_, _, _, _, let maxBitrate, let bufferSize) = encoder,
            let cap = Bitrate.bitsPerSecond(maxBitrate), let buffer = Bitrate.bitsPerSecond(bufferSize)
        else { return rung.bufferSize }
        return Int(Double(encoderMaxBitrate(for: rung)) * Double(buffer) / Double(cap))
    }
}
