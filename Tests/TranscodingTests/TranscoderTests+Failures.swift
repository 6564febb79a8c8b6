import Foundation
import Logging
import TestSupport
import Testing
import Transcoding

extension TranscoderTests {
    /// Transcodes `source` and returns the error it fails with.
    func failure(
        of source: TranscodeSource, in folder: VideoFolder, transcoder: Transcoder = makeTranscoder(),
        encoder: VideoEncoder = testEncoder
    ) async throws -> TranscodeError {
        try await #require(throws: TranscodeError.self) {
            try await transcoder.transcode(makeRequest(source, in: folder, encoder: encoder))
        }
    }

    @Test func randomBytesAfterAValidHeaderAreAnInvalidVideo() async throws {
        try await withVideos { folder in
            var source = try await folder.clip(width: 640, height: 360, seconds: 2, extra: ["-movflags", "+faststart"])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: source.path))
            let media = try #require(bytes.firstRange(of: Data("mdat".utf8))).upperBound
            var generator = SystemRandomNumberGenerator()
            let noise = (0..<(bytes.count - media)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            source.path = try folder.file("corrupt.mp4", bytes: Array(bytes[..<media]) + noise)
            let logs = LogRecorder()
            let error = try await failure(of: source, in: folder, transcoder: makeTranscoder(logs: logs), encoder: gpuEncoder)

            #expect(error.code == .invalidInput, "\(error)")
            #expect(!error.isRetriable)
            #expect(["The video could not be decoded.", "The video is damaged or incomplete."].contains(error.userMessage))
            #expect(!error.userMessage.contains("/") && !error.detail.isEmpty)
            #expect(logs.messages(at: .warning).isEmpty, "an undecodable file is not retried on the CPU")
        }
    }

    @Test func aTruncatedFileIsAnInvalidVideo() async throws {
        try await withVideos { folder in
            for faststart in [false, true] {
                var source = try await folder.clip(width: 640, height: 360, seconds: 3, extra: faststart ? ["-movflags", "+faststart"] : [])
                let bytes = try Data(contentsOf: URL(fileURLWithPath: source.path))
                source.path = try folder.file("truncated.mp4", bytes: Array(bytes.prefix(bytes.count / 3)))
                let error = try await failure(of: source, in: folder)
                #expect(error.code == .invalidInput, "faststart \(faststart): \(error)")
                try? FileManager.default.removeItem(at: folder.workFolder)
                try FileManager.default.createDirectory(at: folder.workFolder, withIntermediateDirectories: true)
            }
        }
    }

    @Test func aPlaylistPosingAsAVideoIsRefusedWithoutReadingItsSegments() async throws {
        try await withVideos { folder in
            let clip = try await folder.clip(width: 640, height: 360, seconds: 1)
            try await folder.tool("ffmpeg", ["-i", clip.path, "-c", "copy", "-f", "hls", folder.path("upload.mp4")])
            var source = clip
            source.path = folder.path("upload.mp4")
            let error = try await failure(of: source, in: folder)
            #expect(error.code == .invalidInput, "\(error)")
        }
    }

    @Test func anNVENCRequestWithoutAGPUFallsBackToLibx264() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 640, height: 360, seconds: 1.5)
            let logs = LogRecorder()
            let progress = ProgressLog()
            let result = try await makeTranscoder(logs: logs).transcode(
                makeRequest(source, in: folder, encoder: gpuEncoder), progress: progress.callback)

            #expect(result.usedEncoder == "libx264")
            #expect(logs.messages(at: .warning).contains { $0.contains("NVENC") })
            #expect(try folder.outputFiles().contains("360p/index.m3u8"))
            #expect(progress.reported.last == 100)
        }
    }

    @Test func aMissingFFmpegIsUnavailableAndRetriable() async throws {
        try await withVideos { folder in
            let source = TranscodeSource(path: folder.path("none.mp4"), durationSeconds: 1, width: 640, height: 360, hasAudio: true)
            let error = try await failure(of: source, in: folder, transcoder: makeTranscoder(ffmpegPath: "/nonexistent/ffmpeg"))
            #expect(error.code == .ffmpegUnavailable && error.isRetriable)
        }
    }

    @Test func aMemoryLimitTooSmallFailsCleanly() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 1)
            let error = try await failure(of: source, in: folder, transcoder: makeTranscoder(memoryBytes: 200 << 20))
            #expect(error.code == .resourceLimitExceeded, "\(error)")
            #expect(!error.isRetriable)
        }
    }

    @Test func theWallTimeLimitKillsFFmpeg() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 3)
            let started = ContinuousClock.now
            let error = try await failure(
                of: source, in: folder, transcoder: makeTranscoder(wallTime: .milliseconds(300)),
                encoder: .cpu(preset: "veryslow", crf: 18))

            #expect(error.code == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(30), "loose: parallel suites share two cores")
            #expect(ffmpegProcesses(mentioning: source.path).isEmpty, "ffmpeg was killed and reaped")
        }
    }

    @Test func cancellingTheTaskKillsFFmpeg() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 3)
            let request = makeRequest(source, in: folder, encoder: .cpu(preset: "veryslow", crf: 18))
            let task = Task { try await makeTranscoder().transcode(request) }
            #expect(try await eventuallyRunning(source.path))
            task.cancel()
            let outcome = await task.result
            #expect(throws: TranscodeError.cancelled) { try outcome.get() }
            #expect(ffmpegProcesses(mentioning: source.path).isEmpty, "ffmpeg was killed and reaped")
        }
    }

    /// Waits until an ffmpeg reading `path` runs.
    private func eventuallyRunning(_ path: String) async throws -> Bool {
        for _ in 0..<100 {
            if !ffmpegProcesses(mentioning: path).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
