import Logging
import NIOPosix

/// Reads a video file's container and stream parameters with libavformat, safely.
///
/// libavformat blocks, so every call runs on a `NIOThreadPool`, never on an event loop or the
/// cooperative pool. Only local regular files are read (`protocol_whitelist=file`, and the path
/// is always passed as `file:`), only allowlisted containers are opened (the format is sniffed
/// from the magic bytes first, and `format_whitelist` is set as a second guard), so a playlist
/// or `concat` script can never make libavformat read other files or the network.
package struct MediaProbe: Sendable {
    /// The demuxers accepted, by their full libavformat names.
    package static let allowedFormats: Set<String> = [
        "mov,mp4,m4a,3gp,3g2,mj2",  // QuickTime, MP4, 3GP
        "matroska,webm",
        "avi",
        "flv",
        "mpegts",
        "mpeg",  // MPEG program stream (.mpg, .vob)
        "ogg",
        "asf",  // WMV
    ]

    private let threadPool: NIOThreadPool
    private let timeout: Duration
    private let logger: Logger

    /// Creates a probe.
    ///
    /// - Parameters:
    ///   - threadPool: where the blocking libavformat calls run; the caller owns it.
    ///   - timeout: how long one probe may read before it fails with ``MediaProbeError/timedOut``.
    ///   - logger: receives a debug line per probe.
    package init(threadPool: NIOThreadPool, timeout: Duration = .seconds(30), logger: Logger) {
        self.threadPool = threadPool
        self.timeout = timeout
        self.logger = logger
    }

    /// Probes the file at `path`.
    ///
    /// - Throws: ``MediaProbeError`` for anything wrong with the file; a `CancellationError` if
    ///   the task is cancelled before the probe starts; `NIOThreadPoolError` if the pool is stopped.
    package func probe(fileAt path: String) async throws -> MediaInfo {
        let timeout = self.timeout
        do {
            let info = try await threadPool.runIfActive {
                try Self.probeBlocking(path: path, timeout: timeout)
            }
            logger.debug(
                "Probed media file",
                metadata: ["media.format": "\(info.formatName)", "media.duration": "\(info.duration)"]
            )
            return info
        } catch let error as MediaProbeError {
            logger.debug("Media file refused", metadata: ["media.error": "\(error.debugDescription)"])
            throw error
        }
    }

    /// Whether a demuxer may be used.
    static func isAllowed(formatName: String) -> Bool {
        allowedFormats.contains(formatName)
    }

    /// The blocking probe: checks the path, sniffs and checks the format, opens, reads stream info.
    static func probeBlocking(path: String, timeout: Duration) throws -> MediaInfo {
        try checkRegularFile(at: path)
        let url = "file:" + path
        let deadline = timeout.microseconds
        let format = try sniffFormat(url: url, timeoutMicroseconds: deadline)
        let context = try FormatContext(url: url, format: format, timeoutMicroseconds: deadline)
        return try context.mediaInfo()
    }
}

extension Duration {
    /// Whole microseconds, saturating, for libavformat's clock.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? Int64.max / 2 : total + attoseconds / 1_000_000_000_000
    }
}
