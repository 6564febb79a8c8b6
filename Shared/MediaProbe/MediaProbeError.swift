/// Why a file could not be probed; ``description`` is a message fit to show the uploader.
package enum MediaProbeError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound
    /// The path is a directory, device, pipe or socket.
    case notARegularFile
    /// The file exists but cannot be read (permissions).
    case unreadable(detail: String)
    /// The container is not on the allowlist (a playlist, image, text, subtitle, raw stream...);
    /// the name is the demuxer's, or `unknown` when no format was recognised.
    case unsupportedFormat(String)
    /// The container holds no video stream (audio-only, or only a cover image).
    case noVideoStream
    /// The file is truncated, damaged or lacks its duration or dimensions; `detail` is for logs.
    case corrupt(detail: String)
    /// Reading the file took longer than the probe's time limit.
    case timedOut

    package var description: String {
        switch self {
        case .fileNotFound:
            "The file could not be found."
        case .notARegularFile:
            "The upload is not a regular file."
        case .unreadable:
            "The file could not be read."
        case .unsupportedFormat:
            "This file type is not supported. Upload a video such as MP4, MOV, WebM, MKV, AVI or MPEG-TS."
        case .noVideoStream:
            "The file contains no video."
        case .corrupt:
            "The video appears to be damaged or incomplete and could not be read."
        case .timedOut:
            "The video took too long to read."
        }
    }

    /// The description with the technical detail, for logs.
    package var debugDescription: String {
        switch self {
        case .unreadable(let detail), .corrupt(let detail): "\(description) (\(detail))"
        case .unsupportedFormat(let name): "\(description) (format: \(name))"
        default: description
        }
    }
}
