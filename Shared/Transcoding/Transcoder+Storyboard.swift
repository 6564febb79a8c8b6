import Foundation

extension Transcoder {
    /// Makes the storyboard sprite from the progressive file just written (see
    /// ``TranscodePlan/storyboardArguments(progressiveFile:)``).
    func writeStoryboard(of plan: TranscodePlan, in folder: URL, tools: Tools) async throws {
        let command = FFmpegCommand(
            ffmpeg: tools.ffmpeg, prlimit: tools.prlimit, memoryBytes: limits.memoryBytes, workFolder: folder,
            arguments: plan.storyboardArguments(progressiveFile: folder.appendingPathComponent(TranscodePlan.progressiveName).path))
        _ = try await run(command, expectedSeconds: plan.source.durationSeconds, reporter: ProgressReporter { _ in })
    }
}
