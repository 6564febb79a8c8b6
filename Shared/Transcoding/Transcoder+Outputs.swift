import Foundation
import Logging

extension Transcoder {
    /// Checks that ffmpeg wrote every file the plan asks for, adds the storyboard's WebVTT index
    /// and reports what the work folder holds.
    func collectOutputs(
        of plan: TranscodePlan, in folder: URL, outcome: FFmpegCommand.Outcome, tools: Tools
    ) async throws -> TranscodeResult {
        let duration = outcome.outTimeSeconds > 0 ? outcome.outTimeSeconds : plan.source.durationSeconds
        let fileManager = FileManager.default
        func exists(_ name: String) -> Bool { fileManager.fileExists(atPath: folder.appendingPathComponent(name).path) }

        guard exists(TranscodePlan.progressiveName) else { throw TranscodeError.encoderFailed("ffmpeg wrote no video.mp4") }
        if !exists(ThumbnailPlan.imageName) {
            try await writeFirstFrameThumbnail(of: plan, in: folder, tools: tools)
        }
        var storyboardName: String?
        do {
            try await writeStoryboard(of: plan, in: folder, tools: tools)
        } catch {
            // A video without a storyboard still plays; scrubbing previews are a nicety.
            try Task.checkCancellation()
            logger.warning("storyboard not made", metadata: ["transcode.error": "\(error)"])
        }
        if exists(StoryboardPlan.imageName) {
            let index = plan.storyboard.webVTT(endingAt: duration)
            do {
                try Data(index.utf8).write(to: folder.appendingPathComponent(StoryboardPlan.indexName))
            } catch {
                throw TranscodeError.encoderFailed("storyboard index not written: \(error)")
            }
            storyboardName = StoryboardPlan.indexName
        }
        let renditions = try plan.layout == .hls ? hlsRenditions(of: plan, in: folder) : progressiveRenditions(of: plan)
        let top = plan.rungs[plan.rungs.count - 1]
        return TranscodeResult(
            renditions: renditions, durationSeconds: duration, width: top.width, height: top.height,
            totalBytes: Self.totalBytes(in: folder), usedEncoder: plan.encoder.ffmpegName,
            thumbnailName: ThumbnailPlan.imageName, storyboardName: storyboardName)
    }

    /// The variants of the master playlist ffmpeg wrote, checked against the plan: one per rung,
    /// in order, each with `BANDWIDTH`, the rung's `RESOLUTION` and `CODECS`, and its playlist.
    func hlsRenditions(of plan: TranscodePlan, in folder: URL) throws(TranscodeError) -> [RenditionOutput] {
        let master: MasterPlaylist
        do {
            master = MasterPlaylist(try String(contentsOf: folder.appendingPathComponent(TranscodePlan.masterName), encoding: .utf8))
        } catch {
            throw .encoderFailed("master playlist not readable: \(error)")
        }
        guard master.variants.count == plan.rungs.count else {
            throw .encoderFailed("master playlist has \(master.variants.count) variants for \(plan.rungs.count) rungs")
        }
        return try zip(plan.rungs, master.variants).map { rung, variant throws(TranscodeError) in
            let playlist = "\(rung.name)/\(TranscodePlan.mediaPlaylistName)"
            guard let bandwidth = variant.bandwidth, bandwidth > 0, let codecs = variant.codecs, !codecs.isEmpty,
                variant.width == rung.width, variant.height == rung.height, variant.uri == playlist,
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(playlist).path)
            else { throw .encoderFailed("master playlist variant \(variant) does not match rung \(rung)") }
            return RenditionOutput(
                name: rung.name, width: rung.width, height: rung.height, bandwidth: bandwidth, codecs: codecs,
                playlistPath: playlist)
        }
    }

    /// The one rendition of the progressive layout, with the bandwidth HLS would declare for it.
    func progressiveRenditions(of plan: TranscodePlan) -> [RenditionOutput] {
        plan.rungs.map { rung in
            RenditionOutput(
                name: rung.name, width: rung.width, height: rung.height, bandwidth: plan.bandwidth(of: rung),
                codecs: nil, playlistPath: nil)
        }
    }

    /// The size of every regular file under `folder`.
    static func totalBytes(in folder: URL) -> Int64 {
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { return 0 }
        var total: Int64 = 0
        for case let file as URL in files {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            total += Int64(values.fileSize ?? 0)
        }
        return total
    }

    /// Removes everything in `folder`, leaving it empty, before a second run.
    func removeContents(of folder: URL) throws(TranscodeError) {
        do {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        } catch {
            throw .encoderFailed("work folder not cleared: \(error)")
        }
    }
}
