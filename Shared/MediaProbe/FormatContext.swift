import CFFmpeg

/// An opened `AVFormatContext`, closed with `avformat_close_input` in `deinit`.
///
/// Every method blocks; it is created, used and dropped inside one thread-pool closure of
/// ``MediaProbe``, so it never crosses threads and is deliberately not `Sendable`.
final class FormatContext {
    private var context: UnsafeMutablePointer<AVFormatContext>?

    /// Opens `url` with the given (already allowlisted) demuxer, reading only local files, and
    /// reads the streams' parameters. Blocks.
    init(url: String, format: UnsafePointer<AVInputFormat>, timeoutMicroseconds: Int64) throws {
        guard let allocated = avformat_alloc_context() else {
            throw MediaProbeError.corrupt(detail: "out of memory")
        }
        allocated.pointee.interrupt_callback = clipset_deadline_callback(timeoutMicroseconds)

        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "format_whitelist", MediaProbe.formatWhitelist, 0)
        defer { av_dict_free(&options) }

        // On failure avformat_open_input frees the context and sets the pointer to NULL.
        var opened: UnsafeMutablePointer<AVFormatContext>? = allocated
        let result = avformat_open_input(&opened, url, format, &options)
        guard result >= 0, let opened else { throw MediaProbeError(averror: result, while: "reading the header") }
        context = opened

        let found = avformat_find_stream_info(opened, nil)
        guard found >= 0 else {
            // Closed here because whether deinit runs after a throwing init is easy to get wrong.
            avformat_close_input(&context)
            throw MediaProbeError(averror: found, while: "reading the streams")
        }
    }

    /// The opened context; valid until `deinit`.
    var pointer: UnsafeMutablePointer<AVFormatContext>? { context }

    deinit {
        avformat_close_input(&context)
    }
}
