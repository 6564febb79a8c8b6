import Foundation
import Logging

extension Transcoder {
    /// The tools a run needs, found before anything starts.
    struct Tools: Sendable {
        var ffmpeg: String
        var prlimit: String?
    }

    /// Runs the request's encoder and, when NVENC fails because of the encoder, the CPU fallback.
    ///
    /// Only ``TranscodeError/Code/encoderFailed`` falls back: an input ffmpeg cannot decode fails
    /// the same way on any encoder, and is reported without a second run.
    func transcodeWithFallback(_ request: TranscodeRequest, reporter: ProgressReporter) async throws -> TranscodeResult {
        let tools = try locateTools()
        guard case .nvenc = request.encoder else {
            return try await attempt(request, encoder: request.encoder, tools: tools, reporter: reporter)
        }
        do {
            return try await attempt(request, encoder: request.encoder, tools: tools, reporter: reporter)
        } catch let error as TranscodeError where error.code == .encoderFailed {
            let fallback = request.cpuFallback ?? request.encoder.derivedCPUFallback
            logger.warning(
                "NVENC failed, encoding on the CPU instead",
                metadata: ["transcode.error": "\(error.detail)", "transcode.fallback": "\(fallback)"])
            try removeContents(of: request.workFolder)
            return try await attempt(request, encoder: fallback, tools: tools, reporter: reporter)
        }
    }

    /// ffmpeg's path, and prlimit's when memory is limited.
    func locateTools() throws(TranscodeError) -> Tools {
        guard let ffmpeg = ExecutableLookup.resolve(ffmpegPath) else {
            throw .unavailable("ffmpeg not found at \"\(ffmpegPath)\"")
        }
        guard limits.memoryBytes != nil else { return Tools(ffmpeg: ffmpeg, prlimit: nil) }
        guard let prlimit = ExecutableLookup.resolve(prlimitPath) else {
            throw .unavailable("prlimit not found at \"\(prlimitPath)\", needed for the memory limit")
        }
        return Tools(ffmpeg: ffmpeg, prlimit: prlimit)
    }

    /// One ffmpeg run with `encoder`, checked and turned into a result.
    func attempt(
        _ request: TranscodeRequest, encoder: VideoEncoder, tools: Tools, reporter: ProgressReporter
    ) async throws -> TranscodeResult {
        let plan = try TranscodePlan(request: request, encoder: encoder, threads: limits.threads)
        let command = FFmpegCommand(
            ffmpeg: tools.ffmpeg, prlimit: tools.prlimit, memoryBytes: limits.memoryBytes,
            workFolder: request.workFolder, arguments: plan.arguments(inputPath: request.source.path))
        let commandLine = (try? JSONEncoder().encode(command.commandLine)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        logger.debug(
            "Running ffmpeg",
            metadata: [
                "transcode.encoder": "\(encoder.ffmpegName)", "transcode.rungs": "\(plan.rungs.map(\.name))",
                "ffmpeg.arguments": "\(commandLine)", "ffmpeg.directory": "\(request.workFolder.path)",
            ])
        let outcome = try await run(command, expectedSeconds: request.source.durationSeconds, reporter: reporter)
        try checkComplete(outcome, expectedSeconds: request.source.durationSeconds)
        return try await collectOutputs(of: plan, in: request.workFolder, outcome: outcome, tools: tools)
    }

    /// Runs `command`, turning every way it can fail into a ``TranscodeError``.
    func run(_ command: FFmpegCommand, expectedSeconds: Double, reporter: ProgressReporter) async throws -> FFmpegCommand.Outcome {
        let outcome: FFmpegCommand.Outcome
        do {
            outcome = try await command.run(expectedSeconds: expectedSeconds) { await reporter.report($0) }
        } catch {
            try Task.checkCancellation()
            throw TranscodeError.unavailable("ffmpeg could not be run: \(error)")
        }
        // A cancelled task killed ffmpeg itself; its exit status says nothing about the video.
        try Task.checkCancellation()
        guard outcome.succeeded else {
            throw TranscodeError.classify(
                signalled: outcome.signalled, exitDescription: "ffmpeg \(outcome.exitDescription)",
                errorLines: outcome.errorLines,
                memoryLimited: limits.memoryBytes != nil)
        }
        return outcome
    }

    /// A truncated file often decodes "successfully" up to the damage: a run that complained and
    /// stopped well short of the probed duration is an incomplete video, not a short one.
    func checkComplete(_ outcome: FFmpegCommand.Outcome, expectedSeconds: Double) throws(TranscodeError) {
        guard !outcome.errorLines.isEmpty, outcome.outTimeSeconds < expectedSeconds * 0.9 - 0.5 else { return }
        throw .incomplete(
            TranscodeError.condensed(
                outcome.errorLines,
                ending: "output ends at \(outcome.outTimeSeconds) s of \(expectedSeconds) s"))
    }
}
