extension TranscodePlan {
    /// The whole ffmpeg command line (without the executable), run in the work folder so every
    /// output name is a plain relative path.
    ///
    /// - Parameter inputPath: the source's absolute path, opened with ``inputArguments(_:)``.
    func arguments(inputPath: String) -> [String] {
        var arguments = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y",
        ]
        if let threads { arguments += ["-filter_complex_threads", "\(threads)", "-threads", "\(threads)"] }
        arguments += Self.inputArguments(inputPath) + ["-filter_complex", filterGraph]
        arguments += layout == .hls ? hlsOutput : progressiveOutput
        arguments += imageOutput(label: "thumb", quality: 3, name: ThumbnailPlan.imageName)
        return arguments
    }

    /// The demuxers the source may be read with: MediaProbe's allowlist (short names), repeated
    /// here because this module does not link libavformat. A playlist or `concat` script that
    /// slipped past the probe would make ffmpeg open other files; it is refused instead.
    static let allowedDemuxers = "asf,avi,flv,matroska,mov,mpeg,mpegts,ogg"

    /// Opens `path` as the only input: local files only, allowlisted demuxers only, and the
    /// `file:` prefix so a colon in the path is never taken for a protocol.
    static func inputArguments(_ path: String) -> [String] {
        ["-protocol_whitelist", "file", "-format_whitelist", allowedDemuxers, "-i", "file:" + path]
    }

    /// Every rung to HLS and, through the `tee` muxer, the top rung's packets also to `video.mp4`:
    /// one encode serves both.
    private var hlsOutput: [String] {
        let top = rungs.count - 1
        let variants = rungs.enumerated().map { index, rung in
            (source.hasAudio ? "v:\(index),a:\(index)" : "v:\(index)") + ",name:\(rung.name)"
        }
        let hls = [
            "f=hls", "hls_time=\(segmentSeconds)", "hls_playlist_type=vod", "hls_segment_type=fmp4",
            "hls_flags=independent_segments", "hls_segment_filename=%v/seg_%05d.m4s",
            "hls_fmp4_init_filename=init.mp4", "master_pl_name=\(Self.masterName)",
            // tee unquotes once when splitting its slaves and once more when reading their options.
            "var_stream_map=\\'\(variants.joined(separator: " "))\\'", "onfail=abort",
        ]
        let progressive = [
            "select=\\'" + (source.hasAudio ? "v:\(top),a:\(top)" : "v:\(top)") + "\\'", "f=mp4",
            "movflags=+faststart", "onfail=abort",
        ]
        let slaves = "[\(hls.joined(separator: ":"))]%v/\(Self.mediaPlaylistName)"
            + "|[\(progressive.joined(separator: ":"))]\(Self.progressiveName)"
        return streamArguments + ["-flags", "+global_header", "-f", "tee", slaves]
    }

    /// The top rung alone, straight to `video.mp4` with the index before the media.
    private var progressiveOutput: [String] {
        streamArguments + ["-movflags", "+faststart", "-f", "mp4", Self.progressiveName]
    }

    /// The maps and encoder options of the video output: each rung with its own audio copy, so
    /// every HLS variant plays on its own.
    private var streamArguments: [String] {
        var arguments: [String] = []
        for index in rungs.indices {
            arguments += ["-map", "[v\(index)]"]
            if source.hasAudio { arguments += ["-map", "0:a:0"] }
        }
        arguments += ["-map_metadata", "-1", "-map_chapters", "-1"]
        arguments += videoEncoderArguments
        for (index, rung) in rungs.enumerated() {
            arguments += [
                "-maxrate:v:\(index)", Bitrate.ffmpegNotation(encoderMaxBitrate(for: rung)),
                "-bufsize:v:\(index)", Bitrate.ffmpegNotation(encoderBufferSize(for: rung)),
            ]
        }
        if source.hasAudio { arguments += ["-c:a", "aac", "-b:a", Bitrate.ffmpegNotation(audioBitrate), "-ac", "2"] }
        if let threads { arguments += ["-threads", "\(threads)"] }
        return arguments
    }

    /// The H.264 settings shared by every rung. Keyframes are forced on the same timestamps in
    /// every rung and never added at scene cuts, so segment boundaries line up across rungs.
    private var videoEncoderArguments: [String] {
        let keyframes = ["-force_key_frames", "expr:gte(t,n_forced*\(keyframeSeconds))"]
        switch encoder {
        case .cpu(let preset, let crf):
            return ["-c:v", "libx264", "-preset", preset, "-crf", "\(crf)", "-profile:v", "high", "-sc_threshold", "0"]
                + keyframes
        case .nvenc(let deviceID, let preset, let cq, let rateControl, _, _):
            return [
                "-c:v", "h264_nvenc", "-gpu", "\(deviceID)", "-preset", preset, "-rc", rateControl, "-cq", "\(cq)",
                "-b:v", "0", "-profile:v", "high", "-forced-idr", "1", "-no-scenecut", "1",
            ] + keyframes
        }
    }

    /// One JPEG from the filter graph's `label` output.
    ///
    /// `-r 25` gives the image a short frame duration, so it never counts as output time in
    /// ffmpeg's progress report.
    private func imageOutput(label: String, quality: Int, name: String) -> [String] {
        [
            "-map", "[\(label)]", "-frames:v", "1", "-r", "25", "-c:v", "mjpeg", "-q:v", "\(quality)",
            "-update", "1", "-f", "image2", name,
        ]
    }
}
