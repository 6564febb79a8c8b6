import Logging

/// Turns one uploaded video into everything a player needs, with one ffmpeg process in a child.
///
/// A single run decodes the source once and encodes every rung of the ``Ladder`` (H.264 + AAC),
/// the poster frame and the storyboard sprite; in the ``OutputLayout/hls`` layout the top rung's
/// packets also go to `video.mp4` through ffmpeg's `tee` muxer, so the progressive file costs no
/// second encode. The source is untrusted, so ffmpeg:
/// - may open local files only (`-protocol_whitelist file`, the input as a `file:` path), with
///   the probe's allowlisted demuxers only (`-format_whitelist`: no playlist, no `concat`);
/// - runs in the work folder, writing nothing outside it;
/// - is killed when ``TranscodeLimits/wallTime`` passes or the calling task is cancelled;
/// - runs under `prlimit --as` when ``TranscodeLimits/memoryBytes`` is set.
///
/// An NVENC run that fails because of the encoder (no GPU, no driver) is run again on the CPU.
package struct Transcoder: Sendable {
    /// The ffmpeg executable: a name looked up in `PATH`, or a path.
    package let ffmpegPath: String
    /// util-linux's prlimit, used when memory is limited: a name looked up in `PATH`, or a path.
    package let prlimitPath: String
    package let limits: TranscodeLimits
    let logger: Logger

    /// Creates a transcoder; nothing runs until ``transcode(_:progress:)``.
    package init(ffmpegPath: String = "ffmpeg", prlimitPath: String = "prlimit", limits: TranscodeLimits, logger: Logger) {
        self.ffmpegPath = ffmpegPath
        self.prlimitPath = prlimitPath
        self.limits = limits
        self.logger = logger
    }

    /// Transcodes `request.source` into `request.workFolder`.
    ///
    /// - Parameter progress: called with 0...100 as the work advances, only when the integer
    ///   grows, and with 100 once every output is in place.
    /// - Returns: what was written. On failure the work folder may hold partial files; the caller
    ///   removes it.
    /// - Throws: ``TranscodeError``; ``TranscodeError/Code/cancelled`` when the calling task is
    ///   cancelled, after ffmpeg has been killed and reaped.
    package func transcode(
        _ request: TranscodeRequest, progress: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws(TranscodeError) -> TranscodeResult {
        let started = ContinuousClock.now
        let reporter = ProgressReporter(progress)
        let result: TranscodeResult
        do {
            result = try await withWallTime { try await self.transcodeWithFallback(request, reporter: reporter) }
        } catch {
            logger.debug(
                "Transcode failed",
                metadata: ["transcode.error": "\(error)", "transcode.duration": "\(ContinuousClock.now - started)"])
            throw error
        }
        await reporter.report(100)
        logger.debug(
            "Transcoded video",
            metadata: [
                "transcode.encoder": "\(result.usedEncoder)", "transcode.rungs": "\(result.renditions.map(\.name))",
                "transcode.bytes": "\(result.totalBytes)", "transcode.duration": "\(ContinuousClock.now - started)",
            ])
        return result
    }
}
