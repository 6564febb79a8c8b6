import Foundation
import Logging
import MediaProbe
import NIOPosix
import PostgresNIO
import Transcoding

/// Does a `transcode` or `hls_migration` job: probes the input again, runs the one ffmpeg
/// process of ``Transcoder`` into the attempt's folder, and publishes the outputs with the
/// video's new row and `media.video.processed`, all only while the lease is still this worker's.
struct TranscodeJob: Sendable {
    let jobs: JobRepository
    let outcome: VideoOutcome
    let settings: RuntimeConfigRepository
    let folders: OutputFolder
    let probe: MediaProbe
    let transcoder: Transcoder
    var logger: Logger { jobs.logger }

    /// What became of a job that did not throw.
    enum Result: Sendable {
        case published
        /// The video was deleted meanwhile; nothing to do.
        case videoGone
        /// Another worker holds the job now; this attempt's outputs were discarded.
        case leaseLost
    }

    /// Runs the job; throws ``JobFailure`` when the video cannot be processed (now or ever).
    func run(_ job: ClaimedJob, video: VideoRecord, progress: JobProgressReporter) async throws -> Result {
        let input = try await inputPath(of: video, for: job)
        let info: MediaInfo
        do {
            info = try await probe.probe(fileAt: input)
        } catch let error as MediaProbeError {
            throw JobFailure.invalidInput(error.description, detail: error.debugDescription)
        }
        let config = try await settings.current().settings
        let (work, killed) = try await folders.prepare(for: job)
        if !killed.isEmpty {
            logger.warning("killed processes an earlier attempt left running", metadata: ["job.id": "\(job.id)", "pids": "\(killed)"])
        }
        let request = TranscodeRequest(
            source: TranscodeSource(
                path: input, durationSeconds: info.duration, width: info.displayWidth, height: info.displayHeight,
                hasAudio: info.hasAudio),
            workFolder: work, encoder: config.encoder, cpuFallback: .cpu(preset: config.cpuPreset, crf: config.cpuCRF),
            audioBitrate: config.audioBitrate,
            maxHeight: config.maxHeight, layout: job.kind == .hlsMigration || config.videoOutputFormat == "hls" ? .hls : .progressive)
        let result: TranscodeResult
        do {
            result = try await transcoder.transcode(request) { percent in await progress.report(min(percent, 99)) }
        } catch {
            await folders.discard(work)
            throw JobFailure(message: error.userMessage, detail: "\(error.code.rawValue): \(error.detail)", isRetriable: error.isRetriable)
        }
        let outputs = PublishedOutputs(result, layout: request.layout)
        let published = try await jobs.whileHolding(job) { [folders, outcome, jobs] connection -> Bool in
            try await folders.publish(work, videoID: job.videoID)
            try await outcome.completed(job.videoID, outputs: outputs, on: connection)
            try await jobs.settle(job, state: "done", error: nil, on: connection)
            return true
        }
        guard published == true else {
            await folders.discard(work)
            return .leaseLost
        }
        await progress.report(100)
        if job.kind == .transcode, let source = video.sourcePath { await folders.removeOriginal(source) }
        return .published
    }

    /// The upload for a transcode, the progressive file for a migration (or for a transcode
    /// whose upload is gone because an earlier attempt finished).
    private func inputPath(of video: VideoRecord, for job: ClaimedJob) async throws -> String {
        var candidates = ["\(video.outputFolder)/\(VideoFiles.progressiveName)"]
        if job.kind != .hlsMigration, let source = video.sourcePath { candidates.insert(source, at: 0) }
        let paths = candidates.map { folders.root.path($0) }
        let found = try await folders.threadPool.runIfActive { paths.first { FileManager.default.fileExists(atPath: $0) } }
        guard let found else {
            throw JobFailure.invalidInput("The uploaded file is missing.", detail: "none of \(candidates) exists")
        }
        return found
    }
}

extension PublishedOutputs {
    init(_ result: TranscodeResult, layout: OutputLayout) {
        self.init(
            format: layout == .hls ? "hls" : "progressive",
            renditions: result.renditions.map { Rendition(height: $0.height, width: $0.width, bandwidth: $0.bandwidth) },
            durationSeconds: Int(result.durationSeconds.rounded(.down)), width: result.width, height: result.height,
            totalBytes: result.totalBytes, thumbnailName: result.thumbnailName, storyboardName: result.storyboardName)
    }
}

extension RuntimeSettings {
    /// The encoder the settings ask for; NVENC falls back to libx264 with the CPU settings.
    var encoder: VideoEncoder {
        useGPUTranscoding
            ? .nvenc(deviceID: gpuDeviceID, preset: nvencPreset, cq: nvencCQ, rateControl: nvencRateControl,
                     maxBitrate: nvencMaxBitrate, bufferSize: nvencBufferSize)
            : .cpu(preset: cpuPreset, crf: cpuCRF)
    }

    /// `max_resolution` as a height.
    var maxHeight: Int {
        switch maxResolution {
        case "720p": 720
        case "1440p": 1440
        case "4k": 2160
        default: 1080
        }
    }
}
