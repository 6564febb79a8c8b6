import Foundation
import MediaProbe
import TestSupport
import Testing

/// Files the probe accepts, and what it reads from them.
@Suite struct MediaProbeValidFileTests {
    @Test func mp4WithH264AndAAC() async throws {
        try await withClips { clips in
            let path = try await clips.clip("clip.mp4", video: h264Options)
            let info = try await makeProbe().probe(fileAt: path)

            #expect(info.formatName == "mov,mp4,m4a,3gp,3g2,mj2")
            #expect(abs(info.duration - 2) <= 0.1)
            #expect(info.width == 320 && info.height == 240)
            #expect(info.displayWidth == 320 && info.displayHeight == 240)
            #expect(info.videoCodec == "h264")
            #expect(info.audioCodec == "aac")
            #expect(info.hasAudio)
            #expect(abs(info.frameRate - 25) < 0.01)
            #expect(info.rotation == 0)
            #expect(info.pixelFormat == "yuv420p")
            #expect(info.colorPrimaries == "bt709")
            #expect(info.colorTransfer == "bt709")
            #expect(info.colorSpace == "bt709")
            #expect((info.bitRate ?? 0) > 0)

            let decoded = try JSONDecoder().decode(MediaInfo.self, from: JSONEncoder().encode(info))
            #expect(decoded == info)
        }
    }

    @Test func webmWithVP9AndOpus() async throws {
        try await withClips { clips in
            let path = try await clips.clip(
                "clip.webm",
                video: ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"],
                audio: ["-c:a", "libopus"]
            )
            let info = try await makeProbe().probe(fileAt: path)
            #expect(info.formatName == "matroska,webm")
            #expect(info.videoCodec == "vp9")
            #expect(info.audioCodec == "opus")
            #expect(abs(info.duration - 2) <= 0.1)
            #expect(info.width == 320 && info.height == 240)
            #expect(abs(info.frameRate - 25) < 0.01)
        }
    }

    /// ffmpeg 5.1 turns the `rotate` tag into a display matrix read back (by ffprobe too) as the same angle.
    @Test(arguments: [90, 180, 270])
    func rotationFromTheDisplayMatrix(degrees: Int) async throws {
        try await withClips { clips in
            try await clips.clip("upright.mp4", video: h264Options)
            try await clips.ffmpeg([
                "-i", clips.path("upright.mp4"), "-c", "copy", "-metadata:s:v", "rotate=\(degrees)", clips.path("rotated.mp4"),
            ])
            let info = try await makeProbe().probe(fileAt: clips.path("rotated.mp4"))
            #expect(info.rotation == degrees)
            #expect(info.width == 320 && info.height == 240)
            if degrees == 180 {
                #expect(info.displayWidth == 320 && info.displayHeight == 240)
            } else {
                #expect(info.displayWidth == 240 && info.displayHeight == 320)
            }
        }
    }

    @Test(arguments: [
        ("clip.ts", "mpegts", ["-c:v", "libx264", "-preset", "ultrafast"], "h264"),
        ("clip.mkv", "matroska,webm", ["-c:v", "libx264", "-preset", "ultrafast"], "h264"),
        ("clip.avi", "avi", ["-c:v", "mpeg4"], "mpeg4"),
        ("clip.flv", "flv", ["-c:v", "libx264", "-preset", "ultrafast"], "h264"),
        ("clip.mpg", "mpeg", ["-c:v", "mpeg2video"], "mpeg2video"),
        ("clip.wmv", "asf", ["-c:v", "wmv2"], "wmv2"),
        ("clip.3gp", "mov,mp4,m4a,3gp,3g2,mj2", ["-c:v", "libx264", "-preset", "ultrafast"], "h264"),
    ])
    func otherAllowedContainers(name: String, format: String, video: [String], codec: String) async throws {
        try await withClips { clips in
            let path = try await clips.clip(name, video: video, audio: nil)
            let info = try await makeProbe().probe(fileAt: path)
            #expect(info.formatName == format)
            #expect(info.videoCodec == codec)
            #expect(info.width == 320 && info.height == 240)
            #expect(abs(info.duration - 2) <= 0.15)
            #expect(!info.hasAudio && info.audioCodec == nil)
        }
    }

    @Test func aTruncatedFileIsCorruptOrStillReadableButNeverACrash() async throws {
        try await withClips { clips in
            try await clips.clip("plain.mp4", video: h264Options)
            try await clips.clip("fast.mp4", video: h264Options, extra: ["-movflags", "+faststart"])
            let plain = try clips.bytes(of: "plain.mp4")
            let fast = try clips.bytes(of: "fast.mp4")
            let cases = [
                try clips.file("head-of-plain.mp4", bytes: Array(plain.prefix(10_240))),
                try clips.file("moov-cut.mp4", bytes: Array(plain.dropLast(600))),
                try clips.file("head-of-faststart.mp4", bytes: Array(fast.prefix(10_240))),
            ]
            for path in cases {
                do {
                    let info = try await makeProbe().probe(fileAt: path)
                    #expect(info.width == 320, "a truncated file that probes must still be described correctly")
                } catch let error as MediaProbeError {
                    guard case .corrupt = error else {
                        Issue.record("\(path): expected corrupt, got \(error.debugDescription)")
                        continue
                    }
                }
            }
        }
    }
}
