import Foundation
import Logging
import Synchronization
import Transcoding

/// The CPU settings of the tests: fast enough for 2 cores shared with other suites.
let testEncoder = VideoEncoder.cpu(preset: "ultrafast", crf: 28)

/// An NVENC configuration as the worker would pass it; this machine has no GPU.
let gpuEncoder = VideoEncoder.nvenc(
    deviceID: 0, preset: "p4", cq: 23, rateControl: "vbr", maxBitrate: "8M", bufferSize: "16M")

/// A transcoder for tests, logging into `logs` when given.
func makeTranscoder(
    wallTime: Duration = .seconds(120), memoryBytes: Int? = TranscodeLimits.recommendedMemoryBytes, threads: Int? = nil,
    ffmpegPath: String = "ffmpeg", logs: LogRecorder? = nil
) -> Transcoder {
    var logger = Logger(label: "clipset.transcoding.tests") { label in
        logs.map { RecordingLogHandler(recorder: $0) as any LogHandler } ?? SwiftLogNoOpLogHandler(label)
    }
    logger.logLevel = .debug
    return Transcoder(
        ffmpegPath: ffmpegPath, limits: TranscodeLimits(wallTime: wallTime, memoryBytes: memoryBytes, threads: threads),
        logger: logger)
}

/// The request the tests make: into `folder`'s work folder, with the test encoder.
func makeRequest(
    _ source: TranscodeSource, in folder: VideoFolder, layout: OutputLayout = .hls, maxHeight: Int = 1080,
    encoder: VideoEncoder = testEncoder, segmentSeconds: Int = 2
) -> TranscodeRequest {
    TranscodeRequest(
        source: source, workFolder: folder.workFolder, encoder: encoder, cpuFallback: testEncoder, audioBitrate: "96k",
        maxHeight: maxHeight, layout: layout, segmentSeconds: segmentSeconds)
}

/// Every percentage the transcoder reported, in order.
final class ProgressLog: Sendable {
    private let values = Mutex<[Int]>([])

    var reported: [Int] { values.withLock { $0 } }

    /// The callback to hand to ``Transcoder/transcode(_:progress:)``.
    var callback: @Sendable (Int) async -> Void {
        { [self] percent in append(percent) }
    }

    private func append(_ percent: Int) { values.withLock { $0.append(percent) } }
}

/// The messages logged through a ``RecordingLogHandler``.
final class LogRecorder: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])

    func append(_ level: Logger.Level, _ message: String) { entries.withLock { $0.append((level, message)) } }

    /// The messages logged at `level`.
    func messages(at level: Logger.Level) -> [String] {
        entries.withLock { $0.filter { $0.level == level }.map(\.message) }
    }
}

/// A log handler that keeps every message in a ``LogRecorder``.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.append(event.level, "\(event.message)")
    }
}

/// The command lines of running ffmpeg processes that mention `text` (e.g. a clip's unique path).
func ffmpegProcesses(mentioning text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid -> String? in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return commandLine.contains("ffmpeg") && commandLine.contains(text) ? commandLine : nil
    }
}
