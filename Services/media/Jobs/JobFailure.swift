/// Why a job could not do its work.
struct JobFailure: Error, CustomStringConvertible {
    /// Shown to the uploader as the video's `error_message`: plain words, no paths or ffmpeg output.
    let message: String
    /// For the logs and the job's `error`.
    let detail: String
    /// Whether another attempt may succeed (an unreadable file will never be readable).
    let isRetriable: Bool

    var description: String { "\(message) (\(detail))" }

    static func invalidInput(_ message: String, detail: String) -> JobFailure {
        JobFailure(message: message, detail: detail, isRetriable: false)
    }
}

/// The job's lease went to another worker (this one stalled); its work is discarded.
struct LeaseLost: Error {}
