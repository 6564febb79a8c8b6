/// Why a transcode failed: a code to act on, a sentence for the uploader and ffmpeg's words for logs.
package struct TranscodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the worker's retry and failure handling.
    package enum Code: String, Sendable, Equatable {
        /// The file cannot be decoded (damaged, truncated, not really a video).
        case invalidInput
        /// ffmpeg ran past ``TranscodeLimits/wallTime`` and was killed.
        case timedOut
        /// ffmpeg (or prlimit) is missing or cannot be started.
        case ffmpegUnavailable
        /// The encoder or the output failed (no GPU, disk full, an ffmpeg bug).
        case encoderFailed
        /// ffmpeg hit ``TranscodeLimits/memoryBytes``.
        case resourceLimitExceeded
        /// The calling task was cancelled (shutdown, lost lease) and ffmpeg was killed.
        case cancelled
    }

    package let code: Code
    /// A plain sentence for the uploader: no paths, no ffmpeg output.
    package let userMessage: String
    /// What ffmpeg said (its last error lines) or what else happened, for logs.
    package let detail: String

    package init(_ code: Code, userMessage: String, detail: String = "") {
        self.code = code
        self.userMessage = userMessage
        self.detail = detail
    }

    /// Whether the same job may succeed later, on this or another worker.
    package var isRetriable: Bool {
        switch code {
        case .ffmpegUnavailable, .encoderFailed, .cancelled: true
        case .invalidInput, .timedOut, .resourceLimitExceeded: false
        }
    }

    package var description: String {
        detail.isEmpty ? "\(code.rawValue): \(userMessage)" : "\(code.rawValue): \(userMessage) (\(detail))"
    }
}

extension TranscodeError {
    /// The file could not be decoded; `detail` is ffmpeg's complaint.
    static func undecodable(_ detail: String) -> TranscodeError {
        TranscodeError(.invalidInput, userMessage: "The video could not be decoded.", detail: detail)
    }

    /// The file decoded only in part: ffmpeg stopped well before the probed duration.
    static func incomplete(_ detail: String) -> TranscodeError {
        TranscodeError(.invalidInput, userMessage: "The video is damaged or incomplete.", detail: detail)
    }

    static func timedOut(after limit: Duration) -> TranscodeError {
        TranscodeError(.timedOut, userMessage: "The video took too long to process.", detail: "killed after \(limit)")
    }

    static func unavailable(_ detail: String) -> TranscodeError {
        TranscodeError(.ffmpegUnavailable, userMessage: "Video processing is unavailable right now.", detail: detail)
    }

    static func encoderFailed(_ detail: String) -> TranscodeError {
        TranscodeError(.encoderFailed, userMessage: "The video could not be encoded.", detail: detail)
    }

    static func outOfMemory(_ detail: String) -> TranscodeError {
        TranscodeError(
            .resourceLimitExceeded, userMessage: "The video needs more memory to process than the server allows.",
            detail: detail)
    }

    package static let cancelled = TranscodeError(.cancelled, userMessage: "Processing was interrupted.", detail: "task cancelled")
}
