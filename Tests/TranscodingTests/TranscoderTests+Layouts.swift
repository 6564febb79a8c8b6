import Foundation
import Testing
import Transcoding

extension TranscoderTests {
    @Test func theProgressiveLayoutWritesOnlyVideoMP4WithItsIndexFirst() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 2)
            let transcoder = makeTranscoder(threads: 1)
            let result = try await transcoder.transcode(makeRequest(source, in: folder, layout: .progressive))

            #expect(try folder.outputFiles() == ["storyboard.jpg", "storyboard.vtt", "thumbnail.jpg", "video.mp4"])
            #expect(result.renditions.map(\.name) == ["720p"])
            #expect(result.renditions.first?.playlistPath == nil)
            #expect(try await folder.dimensions(of: folder.output("video.mp4")) == [1280, 720])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.output("video.mp4")))
            let moov = try #require(bytes.firstRange(of: Data("moov".utf8))).lowerBound
            let mdat = try #require(bytes.firstRange(of: Data("mdat".utf8))).lowerBound
            #expect(moov < mdat, "faststart: the index comes before the media")
        }
    }

    @Test func aSilentShortPortraitVideoGetsVideoOnlyRungsAndItsFirstFrameAsPoster() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 360, height: 640, seconds: 0.8, audio: false)
            let result = try await makeTranscoder().transcode(makeRequest(source, in: folder))

            #expect(result.renditions.map { "\($0.name) \($0.width)x\($0.height)" } == ["360p 360x640"])
            #expect(result.renditions.first?.codecs?.contains("mp4a") == false)
            let master = try folder.text(of: "master.m3u8")
            #expect(master.contains("RESOLUTION=360x640") && !master.contains("mp4a"))
            let streams = try await folder.tool(
                "ffprobe", ["-show_entries", "stream=codec_type", "-of", "csv=p=0", folder.output("video.mp4")])
            #expect(streams.split(separator: "\n") == ["video"])
            #expect(try await folder.dimensions(of: folder.output("thumbnail.jpg")) == [640, 1138])
        }
    }

    @Test func aVideoShorterThanTheProbeSaidStillGetsAPoster() async throws {
        try await withVideos { folder in
            var source = try await folder.clip(width: 640, height: 360, seconds: 0.6)
            source.durationSeconds = 1.3
            let result = try await makeTranscoder().transcode(makeRequest(source, in: folder, layout: .progressive))

            #expect(try await folder.dimensions(of: folder.output(result.thumbnailName)) == [640, 360])
            #expect(abs(result.durationSeconds - 0.6) < 0.1, "the output's duration, not the probe's")
        }
    }
}
