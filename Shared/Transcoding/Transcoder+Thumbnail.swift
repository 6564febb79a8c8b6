import Foundation

extension Transcoder {
    /// Writes the first frame as the poster when the main run's poster branch had no frame to
    /// take: the video ended before ``ThumbnailPlan/time`` although the probe said otherwise.
    func writeFirstFrameThumbnail(of plan: TranscodePlan, in folder: URL, tools: Tools) async throws {
        let thumbnail = plan.thumbnail
        let arguments = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-y",
        ] + TranscodePlan.inputArguments(plan.source.path) + [
            "-map", "0:v:0", "-frames:v", "1",
            "-vf", "scale=\(thumbnail.width):\(thumbnail.height),setsar=1", "-c:v", "mjpeg", "-q:v", "3",
            "-update", "1", "-f", "image2", ThumbnailPlan.imageName,
        ]
        let command = FFmpegCommand(
            ffmpeg: tools.ffmpeg, prlimit: tools.prlimit, memoryBytes: limits.memoryBytes, workFolder: folder,
            arguments: arguments)
        _ = try await run(command, expectedSeconds: 1, reporter: ProgressReporter { _ in })
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(ThumbnailPlan.imageName).path) else {
            throw TranscodeError.undecodable("no frame for the thumbnail")
        }
    }
}
