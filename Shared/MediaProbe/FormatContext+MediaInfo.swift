import CFFmpeg

extension FormatContext {
    /// Reads the container and stream parameters into a ``MediaInfo``.
    ///
    /// - Throws: ``MediaProbeError/noVideoStream`` without a video stream (cover art does not
    ///   count), ``MediaProbeError/corrupt(detail:)`` when the duration or dimensions are missing.
    func mediaInfo() throws -> MediaInfo {
        guard let pointer else { throw MediaProbeError.corrupt(detail: "the file is not open") }
        let context = pointer.pointee
        let formatName = context.iformat.flatMap { Self.string($0.pointee.name) } ?? "unknown"
        // The sniffed format was allowlisted and passed explicitly; re-check what was really used.
        guard MediaProbe.isAllowed(formatName: formatName) else { throw MediaProbeError.unsupportedFormat(formatName) }

        let streams: [UnsafeMutablePointer<AVStream>] =
            context.streams.map { streams in (0..<Int(context.nb_streams)).compactMap { streams[$0] } } ?? []
        guard let video = Self.mainVideoStream(streams), let parameters = video.pointee.codecpar?.pointee else {
            throw MediaProbeError.noVideoStream
        }
        guard parameters.width > 0, parameters.height > 0 else {
            throw MediaProbeError.corrupt(detail: "the video stream has no dimensions")
        }
        guard let duration = Self.duration(of: context, video: video.pointee) else {
            throw MediaProbeError.corrupt(detail: "the duration is unknown")
        }
        let audio = streams.first { $0.pointee.codecpar?.pointee.codec_type == AVMEDIA_TYPE_AUDIO }

        return MediaInfo(
            formatName: formatName,
            duration: duration,
            width: Int(parameters.width),
            height: Int(parameters.height),
            videoCodec: Self.string(avcodec_get_name(parameters.codec_id)) ?? "unknown",
            audioCodec: audio.flatMap { $0.pointee.codecpar.flatMap { Self.string(avcodec_get_name($0.pointee.codec_id)) } },
            frameRate: Self.frameRate(of: video.pointee),
            rotation: Self.rotation(of: video),
            bitRate: context.bit_rate > 0 ? Int(context.bit_rate) : (parameters.bit_rate > 0 ? Int(parameters.bit_rate) : nil),
            pixelFormat: parameters.format < 0 ? nil : Self.string(av_get_pix_fmt_name(AVPixelFormat(parameters.format))),
            colorPrimaries: Self.specified(av_color_primaries_name(parameters.color_primaries)),
            colorTransfer: Self.specified(av_color_transfer_name(parameters.color_trc)),
            colorSpace: Self.specified(av_color_space_name(parameters.color_space)),
            colorRange: Self.specified(av_color_range_name(parameters.color_range))
        )
    }

    /// The default video stream, else the first; attached pictures (cover art) are not video.
    private static func mainVideoStream(_ streams: [UnsafeMutablePointer<AVStream>]) -> UnsafeMutablePointer<AVStream>? {
        let videos = streams.filter { stream in
            stream.pointee.codecpar?.pointee.codec_type == AVMEDIA_TYPE_VIDEO
                && stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
        }
        return videos.first { $0.pointee.disposition & AV_DISPOSITION_DEFAULT != 0 } ?? videos.first
    }

    /// Seconds, from the container or else the video stream; `nil` if neither knows.
    private static func duration(of context: AVFormatContext, video: AVStream) -> Double? {
        let unknown = clipset_av_nopts_value()
        if context.duration != unknown, context.duration > 0 {
            return Double(context.duration) / Double(AV_TIME_BASE)
        }
        if video.duration != unknown, video.duration > 0, video.time_base.den > 0 {
            return Double(video.duration) * av_q2d(video.time_base)
        }
        return nil
    }

    /// Frames per second from `avg_frame_rate`, else `r_frame_rate`, else 0.
    private static func frameRate(of video: AVStream) -> Double {
        for rate in [video.avg_frame_rate, video.r_frame_rate] where rate.num > 0 && rate.den > 0 {
            return av_q2d(rate)
        }
        return 0
    }

    /// The display matrix rotation in counter-clockwise degrees, snapped to 0/90/180/270
    /// (`av_display_rotation_get` returns -180...180, or NaN for a degenerate matrix).
    static func rotation(of video: UnsafeMutablePointer<AVStream>) -> Int {
        let counterClockwise = clipset_stream_display_rotation(video)
        guard counterClockwise.isFinite else { return 0 }
        let quarterTurns = Int((counterClockwise / 90).rounded())
        return (quarterTurns % 4 + 4) % 4 * 90
    }

    /// A C string libav* owns, copied; `nil` for NULL.
    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// A colour property's name, or `nil` when the file leaves it unspecified.
    private static func specified(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let name = string(pointer), !["unknown", "unspecified", "reserved"].contains(name) else { return nil }
        return name
    }
}
