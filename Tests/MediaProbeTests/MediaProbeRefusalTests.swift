import Foundation
import MediaProbe
import TestSupport
import Testing

/// Inputs the probe refuses, each with a typed error and without touching anything else.
@Suite struct MediaProbeRefusalTests {
    /// Probes `path` and returns the error, recording an issue if the probe succeeded.
    private func refusal(_ path: String, probe: MediaProbe = makeProbe()) async -> MediaProbeError? {
        do {
            let info = try await probe.probe(fileAt: path)
            Issue.record("\(path) was accepted as \(info.formatName)")
            return nil
        } catch {
            #expect(error is MediaProbeError, "\(error)")
            return error as? MediaProbeError
        }
    }

    @Test func randomBytes() async throws {
        try await withClips { clips in
            var generator = SplitMix64(seed: 0xC11B5E7)
            for index in 0..<4 {
                let bytes = (0..<65_536).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let error = await refusal(try clips.file("noise-\(index).mp4", bytes: bytes))
                switch error {
                case .corrupt, .unsupportedFormat: break
                default: Issue.record("random bytes gave \(String(describing: error))")
                }
            }
        }
    }

    @Test func imagesPlaylistsAndScriptsAreUnsupported() async throws {
        try await withClips { clips in
            try await clips.clip("segment.mp4", video: h264Options)
            // The extension does not matter: the format is recognised from the content.
            for (name, codec) in [("image.mp4", "png"), ("photo.mov", "mjpeg")] {
                try await clips.ffmpeg([
                    "-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", "-c:v", codec, "-f", "image2", clips.path(name),
                ])
            }
            try clips.file("playlist.m3u8", text: "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nsegment.mp4\n#EXT-X-ENDLIST\n")
            try clips.file("list.ffconcat", text: "ffconcat version 1.0\nfile 'segment.mp4'\nfile '/etc/passwd'\n")
            try clips.file("subtitles.srt", text: "1\n00:00:00,000 --> 00:00:01,000\nHello\n\n")

            let expected = [
                ("image.mp4", "png_pipe"), ("photo.mov", "jpeg_pipe"), ("playlist.m3u8", "hls"),
                ("list.ffconcat", "concat"), ("subtitles.srt", "srt"),
            ]
            for (name, format) in expected {
                let error = await refusal(clips.path(name))
                #expect(error == .unsupportedFormat(format), "\(name): \(String(describing: error))")
            }
            let text = try clips.file("notes.txt", text: String(repeating: "plain text, not a video\n", count: 100))
            guard case .unsupportedFormat = await refusal(text) else {
                Issue.record("a text file was not refused as unsupported")
                return
            }
        }
    }

    @Test func audioOnlyHasNoVideoStream() async throws {
        try await withClips { clips in
            try await clips.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:a", "aac", clips.path("audio.m4a")])
            #expect(await refusal(clips.path("audio.m4a")) == .noVideoStream)
        }
    }

    @Test func missingPathsDirectoriesAndSpecialFiles() async throws {
        try await withClips { clips in
            #expect(await refusal(clips.path("missing.mp4")) == .fileNotFound)
            #expect(await refusal("") == .fileNotFound)
            #expect(await refusal(clips.directory.path) == .notARegularFile)
            #expect(await refusal("/dev/zero") == .notARegularFile)
            #expect(mkfifo(clips.path("fifo"), 0o600) == 0)
            #expect(await refusal(clips.path("fifo")) == .notARegularFile)
            guard case .corrupt = await refusal(try clips.file("empty.mp4", bytes: [])) else {
                Issue.record("an empty file was not corrupt")
                return
            }
        }
    }

    @Test func aProbeThatRunsOutOfTimeIsTimedOut() async throws {
        try await withClips { clips in
            let path = try await clips.clip("clip.mp4", video: h264Options)
            #expect(await refusal(path, probe: makeProbe(timeout: .zero)) == .timedOut)
        }
    }

    @Test func messagesAreFitForUsers() {
        #expect(MediaProbeError.unsupportedFormat("hls").description.contains("not supported"))
        #expect(!MediaProbeError.corrupt(detail: "moov atom not found").description.contains("moov"))
        #expect(MediaProbeError.corrupt(detail: "moov atom not found").debugDescription.contains("moov"))
    }
}

/// A small seeded generator, so the "random" bytes are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
