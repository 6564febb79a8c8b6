import CFFmpeg

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MediaProbe {
    /// The allowlist in the form of libavformat's `format_whitelist` option: one short name per
    /// demuxer, since libavformat matches any of a demuxer's comma-separated names.
    static var formatWhitelist: String {
        allowedFormats.compactMap { $0.split(separator: ",").first.map(String.init) }.sorted().joined(separator: ",")
    }

    /// Refuses what is not an existing, non-empty regular file (directories, devices, FIFOs). Blocks.
    static func checkRegularFile(at path: String) throws {
        var status = stat()
        guard !path.isEmpty, stat(path, &status) == 0 else {
            let code = path.isEmpty ? ENOENT : errno
            switch code {
            case ENOENT, ENOTDIR: throw MediaProbeError.fileNotFound
            default: throw MediaProbeError.unreadable(detail: String(cString: strerror(code)))
            }
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw MediaProbeError.notARegularFile }
        guard status.st_size > 0 else { throw MediaProbeError.corrupt(detail: "the file is empty") }
    }

    /// Recognises the container from the file's first bytes only (no file name extension, no
    /// header parsing) and refuses it unless it is on the allowlist. Blocks.
    static func sniffFormat(url: String, timeoutMicroseconds: Int64) throws -> UnsafePointer<AVInputFormat> {
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        defer { av_dict_free(&options) }
        var callback = clipset_deadline_callback(timeoutMicroseconds)

        var io: UnsafeMutablePointer<AVIOContext>?
        let opened = avio_open2(&io, url, AVIO_FLAG_READ, &callback, &options)
        guard opened >= 0, io != nil else { throw MediaProbeError(averror: opened, while: "opening the file") }
        defer { avio_closep(&io) }

        var format: UnsafePointer<AVInputFormat>?
        let score = av_probe_input_buffer2(io, &format, "", nil, 0, 0)
        if score == clipset_averror_exit() { throw MediaProbeError.timedOut }
        guard score >= 0, let format, let name = format.pointee.name else {
            throw MediaProbeError.unsupportedFormat("unknown")
        }
        let formatName = String(cString: name)
        guard isAllowed(formatName: formatName) else { throw MediaProbeError.unsupportedFormat(formatName) }
        return format
    }
}

extension MediaProbeError {
    /// Maps a libavformat error code; `stage` says what was being done, for the log detail.
    init(averror code: Int32, while stage: String) {
        switch code {
        case clipset_averror(ENOENT): self = .fileNotFound
        case clipset_averror(EACCES), clipset_averror(EPERM): self = .unreadable(detail: Self.message(code))
        case clipset_averror_exit(): self = .timedOut
        default: self = .corrupt(detail: "\(stage): \(Self.message(code))")
        }
    }

    /// libavformat's text for an error code (what the `av_err2str` macro gives in C).
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(AV_ERROR_MAX_STRING_SIZE))
        return buffer.withUnsafeMutableBufferPointer { buffer in
            String(cString: clipset_av_err2str(code, buffer.baseAddress, buffer.count))
        }
    }
}
