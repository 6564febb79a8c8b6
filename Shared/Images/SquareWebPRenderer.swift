import Logging

/// Turns an uploaded image into a square WebP of a fixed size, with ffmpeg in a child process.
///
/// The image is scaled to fit inside the square keeping its aspect ratio, centred on a white
/// canvas (transparent pixels end up white) and encoded as a lossy WebP. Decoding untrusted
/// images happens in ffmpeg, outside this process, under these guards:
/// - the format is sniffed from the file's magic bytes and ffmpeg's demuxer is forced to it;
/// - only local files may be opened (`-protocol_whitelist file`);
/// - the decoder refuses frames over ``maxPixels`` (decompression bombs);
/// - only the first frame of an animation is decoded;
/// - ffmpeg is killed when the time limit passes or the calling task is cancelled.
package struct SquareWebPRenderer: Sendable {
    /// The default decode limit: 40 megapixels, far above any photo a phone takes.
    package static let defaultMaxPixels = 40_000_000

    /// The width and height of the output, in pixels.
    package let side: Int
    /// libwebp's quality, 0 (smallest) to 100 (best).
    package let quality: Int
    /// The ffmpeg executable: a name looked up in `PATH`, or a path.
    package let ffmpegPath: String
    /// How long one render may take before ffmpeg is killed.
    package let timeout: Duration
    /// The largest frame, in pixels, the decoder accepts.
    package let maxPixels: Int
    let logger: Logger

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - side: the output's width and height (at least 1), e.g. 256 for avatars.
    ///   - quality: libwebp's quality, clamped to 0...100.
    ///   - ffmpegPath: `ffmpeg` (looked up in `PATH`) or a path to the executable.
    ///   - timeout: after this, ffmpeg is killed and ``ImageProcessingError/Kind/timedOut`` thrown.
    ///   - maxPixels: frames larger than this are refused as invalid.
    ///   - logger: receives a debug line per render.
    package init(
        side: Int, quality: Int = 85, ffmpegPath: String = "ffmpeg", timeout: Duration = .seconds(20),
        maxPixels: Int = defaultMaxPixels, logger: Logger
    ) {
        self.side = max(side, 1)
        self.quality = min(max(quality, 0), 100)
        self.ffmpegPath = ffmpegPath
        self.timeout = timeout
        self.maxPixels = max(maxPixels, 1)
        self.logger = logger
    }

    /// Renders the image at `input` to a WebP at `output`, replacing any file there.
    ///
    /// The WebP is written to a temporary file in `output`'s folder and renamed into place, so
    /// `output` is either the complete new image or untouched; the temporary file is removed
    /// on any failure.
    ///
    /// - Throws: ``ImageProcessingError`` for a file that is no supported image, a timeout or a
    ///   missing ffmpeg; `CancellationError` if the task is cancelled; a file system error if
    ///   `input` cannot be read or `output` cannot be written.
    package func render(input: String, output: String) async throws {
        let started = ContinuousClock.now
        let format = try Self.sniffFile(at: input)
        let temporary = Self.temporaryPath(beside: output)
        do {
            try await runFFmpeg(arguments(input: input, format: format, output: temporary))
            try Self.moveIntoPlace(temporary, output)
        } catch {
            Self.remove(temporary)
            logger.debug(
                "Image refused",
                metadata: ["image.format": "\(format.rawValue)", "image.error": "\(error)"]
            )
            throw error
        }
        logger.debug(
            "Rendered image",
            metadata: [
                "image.format": "\(format.rawValue)", "image.side": "\(side)",
                "image.duration": "\(ContinuousClock.now - started)",
            ]
        )
    }

    /// The ffmpeg command line: forced demuxer, decode limits, the fit-and-centre filter graph.
    func arguments(input: String, format: ImageFormat, output: String) -> [String] {
        let size = "\(side)x\(side)"
        let filter = [
            "color=c=white:s=\(size)[canvas]",
            "[0:v]scale=\(side):\(side):force_original_aspect_ratio=decrease:flags=lanczos[image]",
            "[canvas][image]overlay=x=(W-w)/2:y=(H-h)/2:shortest=1,format=yuv420p",
        ].joined(separator: ";")
        return [
            "-nostdin", "-hide_banner", "-loglevel", "error",
            "-protocol_whitelist", "file", "-f", format.ffmpegDemuxer, "-max_pixels", String(maxPixels),
            // The `file:` prefix keeps a colon in the path from being read as a protocol.
            "-i", "file:" + input,
            "-filter_complex", filter, "-frames:v", "1", "-map_metadata", "-1",
            "-c:v", "libwebp", "-quality", String(quality), "-f", "webp", "-y", "file:" + output,
        ]
    }
}
