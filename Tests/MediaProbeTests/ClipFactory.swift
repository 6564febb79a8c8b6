import Foundation
import Logging
import MediaProbe
import NIOPosix
import TestSupport

/// A temporary folder of test media, made with the `ffmpeg` command line and removed by ``remove()``.
struct ClipFactory: ScratchFolder {
    let directory: URL

    init() throws {
        directory = try makeScratchDirectory(prefix: "clipset-mediaprobe")
    }

    /// A 2 s, 320x240, 25 fps test pattern with a sine tone, encoded with the given output options.
    @discardableResult
    func clip(_ name: String, video: [String], audio: [String]? = ["-c:a", "aac"], extra: [String] = []) async throws -> String {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"]
        if audio != nil { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", "2"] + video + (audio ?? ["-an"]) + extra + [path(name)]
        try await ffmpeg(arguments)
        return path(name)
    }

    /// Writes `text` to `name`.
    @discardableResult
    func file(_ name: String, text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// Runs `ffmpeg -y` with `arguments`; throws with ffmpeg's message if it fails.
    func ffmpeg(_ arguments: [String]) async throws {
        let log = path("ffmpeg-\(UUID().uuidString).log")
        let arguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments
        let status = try await ChildProcess.run("/usr/bin/ffmpeg", arguments, standardErrorPath: log)
        guard status == 0 else {
            let message = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw FFmpegFailure(description: "ffmpeg \(arguments.joined(separator: " ")) exited with \(status): \(message)")
        }
    }

    /// ffmpeg failed to make a test clip.
    struct FFmpegFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// A probe for tests, on NIO's shared blocking pool.
func makeProbe(timeout: Duration = .seconds(30)) -> MediaProbe {
    MediaProbe(threadPool: .singleton, timeout: timeout, logger: Logger(label: "clipset.mediaprobe.tests"))
}

/// Runs `body` with a fresh clip folder, removed afterwards.
func withClips<Result>(_ body: (ClipFactory) async throws -> Result) async throws -> Result {
    let clips = try ClipFactory()
    defer { clips.remove() }
    return try await body(clips)
}

/// The H.264 + AAC MP4 options of the main test clip, tagged BT.709.
let h264Options = [
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
]
