import Configuration
import ServiceKit
import Subprocess

/// Whether the ffmpeg command a worker transcodes with can be run.
struct FFmpegCheck: Sendable {
    let executable: String

    init(reader: ConfigReader) {
        executable = reader.string(forKey: "ffmpeg.path", default: "ffmpeg")
    }

    /// Ready when `ffmpeg -version` exits 0.
    var readinessCheck: ReadinessCheck {
        ReadinessCheck("ffmpeg") { [executable] in
            let result = try await Subprocess.run(
                .name(executable), arguments: ["-hide_banner", "-version"], output: .discarded, error: .discarded)
            guard result.terminationStatus.isSuccess else {
                throw FFmpegUnavailable(description: "\(executable) -version exited with \(result.terminationStatus)")
            }
        }
    }
}

/// ffmpeg is missing or broken.
struct FFmpegUnavailable: Error, CustomStringConvertible {
    let description: String
}
