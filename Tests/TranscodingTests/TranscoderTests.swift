import Foundation
import Testing
import Transcoding

/// Transcodes against the real ffmpeg, one at a time: each run takes both cores for a moment.
/// The tests in the `TranscoderTests+…` files belong to this suite.
@Suite(.serialized) struct TranscoderTests {
    @Test func a720pSourceBecomesThreeRungsAMasterPlaylistAndAProgressiveFile() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 2.5)
            let progress = ProgressLog()
            let result = try await makeTranscoder().transcode(makeRequest(source, in: folder), progress: progress.callback)

            let files = try folder.outputFiles()
            let folders = Set(files.filter { $0.contains("/") }.map { String($0.split(separator: "/")[0]) })
            #expect(folders == ["360p", "480p", "720p"])
            for rung in ["360p", "480p", "720p"] {
                #expect(files.contains("\(rung)/index.m3u8"))
                #expect(files.contains { $0.hasPrefix("\(rung)/") && $0.hasSuffix(".m4s") })
                #expect(files.contains { $0.hasPrefix("\(rung)/init") && $0.hasSuffix(".mp4") })
            }
            let topLevel = Set(files.filter { !$0.contains("/") })
            #expect(topLevel == ["master.m3u8", "video.mp4", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt"])

            let master = try folder.text(of: "master.m3u8")
            let variants = master.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-STREAM-INF:") }
            #expect(variants.count == 3)
            for (variant, resolution) in zip(variants, ["640x360", "854x480", "1280x720"]) {
                #expect(variant.contains("RESOLUTION=\(resolution)"), "\(variant)")
                #expect(variant.contains("BANDWIDTH="), "\(variant)")
                #expect(variant.contains(#"CODECS="avc1."#) && variant.contains(#",mp4a.40.2""#), "\(variant)")
            }
            #expect(!master.contains("/tmp"), "relative URIs only")

            #expect(result.renditions.map(\.name) == ["360p", "480p", "720p"])
            #expect(result.renditions.map(\.bandwidth) == [1_205_600, 1_865_600, 3_955_600], "(maxrate + 96k audio) + 10 %")
            #expect(result.renditions.allSatisfy { $0.codecs?.hasPrefix("avc1.") == true })
            #expect(result.width == 1280 && result.height == 720)
            #expect(abs(result.durationSeconds - 2.5) < 0.1)
            #expect(result.usedEncoder == "libx264")
            #expect(result.thumbnailName == "thumbnail.jpg" && result.storyboardName == "storyboard.vtt")
            let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: folder.output($0))[.size] as? Int ?? 0 }
            #expect(result.totalBytes == Int64(sizes.reduce(0, +)))

            #expect(try await folder.dimensions(of: folder.output("video.mp4")) == [1280, 720])
            #expect(try await folder.dimensions(of: folder.output("thumbnail.jpg")) == [640, 360])
            let reported = progress.reported
            #expect(reported.last == 100)
            #expect(zip(reported, reported.dropFirst()).allSatisfy { $0 < $1 }, "\(reported)")
        }
    }

    @Test func everyRungDecodesToTheEndWithKeyframesOnTheSameTimestamps() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1280, height: 720, seconds: 4.5)
            _ = try await makeTranscoder().transcode(makeRequest(source, in: folder))

            let decode = try await folder.run(
                "ffmpeg", ["-v", "error", "-i", folder.output("master.m3u8"), "-map", "0", "-f", "null", "-"])
            #expect(decode.status == 0 && decode.errors.isEmpty, "\(decode.errors)")
            var keyframes: [[String]] = []
            for rung in ["360p", "480p", "720p"] {
                let packets = try await folder.tool(
                    "ffprobe",
                    [
                        "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0",
                        folder.output("\(rung)/index.m3u8"),
                    ])
                let keyframeLines = packets.split(separator: "\n").filter { $0.contains(",K") }
                keyframes.append(keyframeLines.map { String($0.split(separator: ",")[0]) })
                let playlist = try folder.text(of: "\(rung)/index.m3u8")
                #expect(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.contains("#EXT-X-ENDLIST"))
                let segments = playlist.split(separator: "\n").filter { $0.hasPrefix("#EXTINF") }
                #expect(segments.count == 3, "2 s segments of 4.5 s: \(playlist)")
            }
            #expect(keyframes[0].count == 3, "a keyframe every 2 s: \(keyframes[0])")
            #expect(keyframes[0] == keyframes[1] && keyframes[1] == keyframes[2], "\(keyframes)")
        }
    }

    @Test func a1080pSourceGetsFourRungs() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 1920, height: 1080, seconds: 1.5)
            let result = try await makeTranscoder().transcode(makeRequest(source, in: folder, maxHeight: 1080))

            #expect(result.renditions.map { "\($0.width)x\($0.height)" } == ["640x360", "854x480", "1280x720", "1920x1080"])
            let master = try folder.text(of: "master.m3u8")
            #expect(master.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-STREAM-INF:") }.count == 4)
            #expect(master.contains("RESOLUTION=1920x1080"))
            #expect(try await folder.dimensions(of: folder.output("video.mp4")) == [1920, 1080])
        }
    }

    @Test func theStoryboardIndexCoversTheVideoWithTilesInsideTheSprite() async throws {
        try await withVideos { folder in
            let source = try await folder.clip(width: 640, height: 360, seconds: 5)
            let result = try await makeTranscoder().transcode(makeRequest(source, in: folder))

            let sprite = try await folder.dimensions(of: folder.output("storyboard.jpg"))
            #expect(sprite == [480, 90], "three 160x90 tiles, one every 2 s")
            let cues = try folder.text(of: "storyboard.vtt").components(separatedBy: "\n\n").dropFirst()
            #expect(cues.count == 3)
            var covered = 0.0
            for cue in cues {
                let lines = cue.split(separator: "\n")
                let times = lines[0].components(separatedBy: " --> ").map(seconds(of:))
                #expect(abs(times[0] - covered) < 0.001, "cues follow each other: \(cue)")
                covered = times[1]
                let box = try #require(lines[1].split(separator: "=").last).split(separator: ",").compactMap { Int($0) }
                #expect(lines[1].hasPrefix("storyboard.jpg#xywh="))
                #expect(box.count == 4 && box[0] + box[2] <= sprite[0] && box[1] + box[3] <= sprite[1], "\(cue)")
            }
            #expect(abs(covered - result.durationSeconds) < 0.001 && abs(covered - 5) < 0.1)
        }
    }
}

/// Seconds in a WebVTT timestamp `hh:mm:ss.ttt`.
func seconds(of timestamp: String) -> Double {
    timestamp.split(separator: ":").reduce(0.0) { $0 * 60 + (Double($1) ?? .nan) }
}
