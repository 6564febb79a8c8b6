import Foundation
import Testing

@testable import Transcoding

/// The poster, the storyboard and the small parsers, without running ffmpeg.
@Suite struct OutputPlanTests {
    @Test func thePosterIsTakenAtOneSecondOrAtTheStart() {
        let long = ThumbnailPlan(durationSeconds: 12, width: 1920, height: 1080)
        #expect(long.time == 1 && long.width == 640 && long.height == 360)
        #expect(ThumbnailPlan(durationSeconds: 0.8, width: 1920, height: 1080).time == 0)
        #expect(ThumbnailPlan(durationSeconds: 5, width: 1080, height: 1920).height == 1138)
    }

    @Test func aShortVideosStoryboardIsOneRow() {
        let plan = StoryboardPlan(durationSeconds: 8, width: 1280, height: 720)
        #expect(plan.interval == 2 && plan.count == 4 && plan.columns == 4 && plan.rows == 1)
        #expect(plan.spriteWidth == 640 && plan.spriteHeight == 90)
    }

    @Test func aLongVideosStoryboardStaysUnderAHundredTiles() {
        for duration in [100.0, 599, 3600, 7201.5] {
            let plan = StoryboardPlan(durationSeconds: duration, width: 1920, height: 1080)
            #expect(plan.count <= 100 && plan.columns == 10, "\(duration) s: \(plan)")
            #expect(Double(plan.count * plan.interval) >= duration, "\(duration) s: \(plan)")
        }
    }

    @Test func theWebVTTIndexCoversTheWholeVideoWithTilesInsideTheSprite() {
        let plan = StoryboardPlan(durationSeconds: 25.5, width: 1920, height: 1080)
        let text = plan.webVTT(endingAt: 25.52)
        #expect(text.hasPrefix("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90\n"))
        #expect(text.contains("00:00:20.000 --> 00:00:22.000\nstoryboard.jpg#xywh=0,90,160,90\n"))
        #expect(text.hasSuffix("00:00:24.000 --> 00:00:25.520\nstoryboard.jpg#xywh=320,90,160,90\n"))
        #expect(StoryboardPlan.timestamp(3725.25) == "01:02:05.250")
    }

    @Test func bitRatesAreReadAsFFmpegReadsThem() {
        #expect(Bitrate.bitsPerSecond("192k") == 192_000)
        #expect(Bitrate.bitsPerSecond("8M") == 8_000_000)
        #expect(Bitrate.bitsPerSecond("1.5M") == 1_500_000)
        #expect(Bitrate.bitsPerSecond("800000") == 800_000)
        #expect(Bitrate.bitsPerSecond("fast") == nil)
        #expect(Bitrate.bitsPerSecond("-3k") == nil)
        #expect(Bitrate.ffmpegNotation(3_500_000) == "3500k")
    }

    @Test func progressIsReadFromOutTimeAndStopsShortOfAHundred() {
        var progress = FFmpegProgress(expectedSeconds: 10)
        #expect(progress.consume("frame=12") == nil)
        #expect(progress.consume("out_time_us=N/A") == nil)
        #expect(progress.consume("out_time_us=2500000") == 25)
        #expect(progress.consume("out_time_ms=2500000") == nil, "no movement, no report")
        #expect(progress.consume("out_time_us=12000000") == 99)
        #expect(progress.outTimeSeconds == 12)
    }

    @Test func aMissingOrAbsurdDurationDoesNotTrap() {
        var progress = FFmpegProgress(expectedSeconds: .nan)
        #expect(progress.consume("out_time_us=9223372036854775807") == 99)
        #expect(StoryboardPlan(durationSeconds: .infinity, width: 0, height: 0).count == 1)
        #expect(StoryboardPlan(durationSeconds: 1e300, width: 1920, height: 1080).count <= 100)
        #expect(ThumbnailPlan(durationSeconds: .nan, width: 1920, height: 1080).time == 0)
    }

    @Test func theMasterPlaylistIsReadWithQuotedCodecs() {
        let master = MasterPlaylist(
            """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-STREAM-INF:BANDWIDTH=1311200,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
            360p/index.m3u8

            #EXT-X-STREAM-INF:BANDWIDTH=4061200,RESOLUTION=1280x720,CODECS="avc1.64001f"
            720p/index.m3u8
            """)
        #expect(
            master.variants == [
                .init(bandwidth: 1_311_200, width: 640, height: 360, codecs: "avc1.64001e,mp4a.40.2", uri: "360p/index.m3u8"),
                .init(bandwidth: 4_061_200, width: 1280, height: 720, codecs: "avc1.64001f", uri: "720p/index.m3u8"),
            ])
    }

    @Test func ffmpegFailuresAreToldApartByWhatItSaid() {
        func code(_ lines: [String], signalled: Bool = false) -> TranscodeError.Code {
            TranscodeError.classify(signalled: signalled, exitDescription: "exited(1)", errorLines: lines, memoryLimited: true).code
        }
        #expect(code(["[mov,mp4 @ 0x55] moov atom not found", "file:/x.mp4: Invalid data found when processing input"]) == .invalidInput)
        #expect(code(["[h264 @ 0x55] Invalid NAL unit size (-520924336 > 30767).", "Error while decoding stream #0:0"]) == .invalidInput)
        #expect(code(["[h264_nvenc @ 0x55] Cannot load libcuda.so.1", "Error while opening encoder for output stream #0:0"]) == .encoderFailed)
        #expect(code(["x264 [error]: malloc of size 3418304 failed", "Error submitting video frame to the encoder"]) == .resourceLimitExceeded)
        #expect(code(["ffmpeg: error while loading shared libraries: librsvg-2.so.2: failed to map segment"]) == .resourceLimitExceeded)
        #expect(code(["av_interleaved_write_frame(): No space left on device"]) == .encoderFailed)
        #expect(code([], signalled: true) == .resourceLimitExceeded)
        let error = TranscodeError.classify(
            signalled: false, exitDescription: "exited(1)", errorLines: ["file:/srv/x.mp4: Invalid data found when processing input"],
            memoryLimited: false)
        #expect(error.userMessage == "The video could not be decoded.")
        #expect(!error.isRetriable)
        #expect(error.detail.contains("Invalid data found"))
    }

    @Test func theInputIsALocalFileBehindTheProtocolWhitelist() throws {
        let source = TranscodeSource(path: "/srv/up:loads/a.mp4", durationSeconds: 4, width: 1280, height: 720, hasAudio: false)
        let request = TranscodeRequest(
            source: source, workFolder: URL(fileURLWithPath: "/tmp/w"), encoder: .cpu(preset: "fast", crf: 23), maxHeight: 1080,
            layout: .hls)
        let arguments = try TranscodePlan(request: request, encoder: request.encoder, threads: 2).arguments(inputPath: source.path)
        let input = try #require(arguments.firstIndex(of: "-i"))
        #expect(arguments[input + 1] == "file:/srv/up:loads/a.mp4")
        #expect(arguments[..<input].contains("-protocol_whitelist") && arguments[..<input].contains("file"))
        #expect(arguments.prefix(4) == ["-nostdin", "-hide_banner", "-loglevel", "error"])
        #expect(arguments.contains("-threads") && !arguments.contains("0:a:0"), "no audio map for a silent source")
        #expect(!arguments.contains { $0.hasPrefix("/") && $0 != "/srv/up:loads/a.mp4" }, "outputs are relative to the work folder")
    }
}
