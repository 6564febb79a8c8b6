extension TranscodePlan {
    /// The one filter graph: the decoded video is split once per rung and once for the poster,
    /// so the source is decoded a single time.
    ///
    /// - Rungs: `scale` to the rung's exact even size, square pixels, 8-bit 4:2:0.
    /// - Poster: timestamps from zero, skip to ``ThumbnailPlan/time``, keep one frame, scale.
    ///
    /// The storyboard is not a branch here: its `tile` output gets its one frame only at the end,
    /// and an output without frames holds back ffmpeg 5.1's `-progress` reports until then (measured:
    /// no report for the whole run). It is made afterwards from `video.mp4`'s keyframes
    /// (``storyboardArguments(progressiveFile:)``).
    var filterGraph: String {
        let rungLabels = rungs.indices.map { "[r\($0)]" }.joined()
        var chains = ["[0:v:0]split=\(rungs.count + 1)\(rungLabels)[th]"]
        for (index, rung) in rungs.enumerated() {
            chains.append("[r\(index)]scale=\(rung.width):\(rung.height),setsar=1,format=yuv420p[v\(index)]")
        }
        chains.append(
            "[th]setpts=PTS-STARTPTS,trim=start=\(thumbnail.time),setpts=PTS-STARTPTS,trim=end_frame=1,"
                + "scale=\(thumbnail.width):\(thumbnail.height),setsar=1[thumb]")
        return chains.joined(separator: ";")
    }

    /// The storyboard pass: `video.mp4`, whose keyframes fall every ``Ladder/keyframeSeconds``,
    /// decoded keyframes only (cheap); the last one held for an interval (`tpad`, so the final
    /// tile is never missing, and a video with one keyframe still gets its tile), one frame per
    /// interval (`fps`), scaled to a tile and laid out with `tile`, which emits the sprite after
    /// ``StoryboardPlan/count`` frames.
    func storyboardArguments(progressiveFile: String) -> [String] {
        let filter = "tpad=stop_mode=clone:stop_duration=\(storyboard.interval),fps=1/\(storyboard.interval),"
            + "scale=\(storyboard.tileWidth):\(storyboard.tileHeight),setsar=1,"
            + "tile=\(storyboard.columns)x\(storyboard.rows):nb_frames=\(storyboard.count)"
        return ["-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-y", "-skip_frame", "nokey"]
            + Self.inputArguments(progressiveFile)
            + ["-map", "0:v:0", "-vf", filter, "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "5", "-update", "1",
               "-f", "image2", StoryboardPlan.imageName]
    }
}
