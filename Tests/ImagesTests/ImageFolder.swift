import Foundation
import Images
import Logging
import TestSupport

/// A temporary folder of test images, made with the `ffmpeg` command line, removed by ``remove()``.
struct ImageFolder: ScratchFolder {
    let directory: URL

    init() throws {
        directory = try makeScratchDirectory(prefix: "clipset-images")
    }

    /// One frame of the lavfi source `source` (e.g. `testsrc=size=640x360`), written to `name`
    /// in the format its extension names, with extra output options.
    @discardableResult
    func image(_ name: String, source: String, options: [String] = []) async throws -> String {
        try await run("ffmpeg", ["-f", "lavfi", "-i", source, "-frames:v", "1"] + options + [path(name)])
        return path(name)
    }

    /// The width and height of the first video stream of `name`, as ffprobe reads them.
    func dimensions(of name: String) async throws -> String {
        let report = "probe-\(UUID().uuidString).txt"
        try await run(
            "ffprobe",
            ["-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path(name)],
            standardOutput: report)
        defer { try? FileManager.default.removeItem(atPath: path(report)) }
        return String(decoding: try bytes(of: report), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The colour at (`x`, `y`) of the image `name`, decoded by ffmpeg to RGB.
    func pixel(of name: String, x: Int, y: Int, width: Int) async throws -> RGB {
        let raw = "raw-\(UUID().uuidString).rgb"
        try await run("ffmpeg", ["-i", path(name), "-f", "rawvideo", "-pix_fmt", "rgb24", path(raw)])
        defer { try? FileManager.default.removeItem(atPath: path(raw)) }
        let bytes = try self.bytes(of: raw)
        let offset = (y * width + x) * 3
        return RGB(red: bytes[offset], green: bytes[offset + 1], blue: bytes[offset + 2])
    }

    /// Runs `tool` (looked up in `PATH`) quietly; throws with its error output if it fails.
    private func run(_ tool: String, _ arguments: [String], standardOutput: String? = nil) async throws {
        let errorLog = path("\(tool)-\(UUID().uuidString).log")
        try Data().write(to: URL(fileURLWithPath: errorLog))
        defer { try? FileManager.default.removeItem(atPath: errorLog) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let quiet = ["-hide_banner", "-loglevel", "error"] + (tool == "ffmpeg" ? ["-nostdin", "-y"] : [])
        process.arguments = [tool] + quiet + arguments
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
        if let standardOutput {
            try Data().write(to: URL(fileURLWithPath: path(standardOutput)))
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: path(standardOutput)))
        }
        let status = try await process.exitStatus()
        guard status == 0 else {
            let message = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited with \(status): \(message)")
        }
    }

    /// A test tool failed to make or read an image.
    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// A pixel's colour.
struct RGB: Equatable, CustomStringConvertible {
    let red: UInt8, green: UInt8, blue: UInt8

    /// Within JPEG-ish error of pure white.
    var isWhite: Bool { min(red, green, blue) >= 240 }

    var description: String { "rgb(\(red), \(green), \(blue))" }
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

/// A renderer for tests.
func makeRenderer(
    side: Int = 256, timeout: Duration = .seconds(20), ffmpegPath: String = "ffmpeg", maxPixels: Int = 40_000_000
) -> SquareWebPRenderer {
    SquareWebPRenderer(
        side: side, ffmpegPath: ffmpegPath, timeout: timeout, maxPixels: maxPixels,
        logger: Logger(label: "clipset.images.tests"))
}

/// Runs `body` with a fresh image folder, removed afterwards.
func withImages<Result>(_ body: (ImageFolder) async throws -> Result) async throws -> Result {
    let folder = try ImageFolder()
    defer { folder.remove() }
    return try await body(folder)
}
