import Foundation
import Logging
import TestSupport
import Transcoding

/// A temporary folder with a test clip, a work folder for the transcoder, and the ffmpeg and
/// ffprobe command lines to make and inspect media; removed by ``remove()``.
struct VideoFolder: ScratchFolder {
    let directory: URL

    init() throws {
        directory = try makeScratchDirectory(prefix: "clipset-transcoding")
        try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
    }

    /// The transcoder's output folder, `out/`, empty at first.
    var workFolder: URL { directory.appendingPathComponent("out", isDirectory: true) }

    /// The absolute path of `name` in the work folder.
    func output(_ name: String) -> String { workFolder.appendingPathComponent(name).path }

    /// A `width`x`height` testsrc2 clip at 25 fps, H.264 (ultrafast) with a sine tone unless
    /// `audio` is false, and its ``TranscodeSource``.
    func clip(
        _ name: String = "clip.mp4", width: Int, height: Int, seconds: Double, audio: Bool = true, extra: [String] = []
    ) async throws -> TranscodeSource {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=25"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", "\(seconds)", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        arguments += (audio ? ["-c:a", "aac"] : ["-an"]) + extra + [path(name)]
        try await tool("ffmpeg", arguments)
        return TranscodeSource(path: path(name), durationSeconds: seconds, width: width, height: height, hasAudio: audio)
    }

    /// Runs `tool` (ffmpeg or ffprobe, from `PATH`) quietly and returns its standard output;
    /// throws with its error output if it fails.
    @discardableResult
    func tool(_ tool: String, _ arguments: [String]) async throws -> String {
        let result = try await run(tool, arguments)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.errors)")
        }
        return result.output
    }

    /// Runs `tool` quietly; its exit status, standard output and standard error.
    func run(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let outputFile = path("\(tool)-\(UUID().uuidString).out"), errorFile = path("\(tool)-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(atPath: outputFile)
            try? FileManager.default.removeItem(atPath: errorFile)
        }
        for file in [outputFile, errorFile] { try Data().write(to: URL(fileURLWithPath: file)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let quiet = ["-hide_banner", "-loglevel", "error"] + (tool == "ffmpeg" ? ["-nostdin", "-y"] : [])
        process.arguments = [tool] + quiet + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        let status = try await process.exitStatus()
        let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        return (status, output, errors)
    }

    /// The width and height of the first video stream of the file at `path`.
    func dimensions(of path: String) async throws -> [Int] {
        let text = try await tool(
            "ffprobe", ["-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path])
        return text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
    }

    /// The files under the work folder, as paths relative to it, sorted.
    func outputFiles() throws -> [String] {
        let base = workFolder.standardizedFileURL.path + "/"
        guard let files = FileManager.default.enumerator(at: workFolder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return files.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else {
                return nil
            }
            return String(url.standardizedFileURL.path.dropFirst(base.count))
        }.sorted()
    }

    /// The text of `name` in the work folder.
    func text(of name: String) throws -> String {
        try String(contentsOfFile: output(name), encoding: .utf8)
    }

    /// A test tool failed.
    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }
}

extension Process {
    /// Starts the process and waits for it without blocking a thread.
    func exitStatus() async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Runs `body` with a fresh video folder, removed afterwards.
func withVideos<Result>(_ body: (VideoFolder) async throws -> Result) async throws -> Result {
    let folder = try VideoFolder()
    defer { folder.remove() }
    return try await body(folder)
}
