/// The rendered message and how much of it libcurl has read, behind `CURLOPT_READDATA`.
///
/// Used by one transfer on one thread only: libcurl calls ``read`` from inside
/// `curl_easy_perform` on the thread that called it, so the offset needs no lock.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `CURLOPT_READFUNCTION`: copies the next bytes into libcurl's buffer; 0 ends the upload.
    static let read: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
        let length = min(size * count, source.bytes.count - source.offset)
        guard length > 0 else { return 0 }
        source.bytes.withUnsafeBufferPointer { all in
            UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: length)
        }
        source.offset += length
        return length
    }
}
