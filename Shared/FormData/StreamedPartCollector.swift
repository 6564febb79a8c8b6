#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import NIOPosix
import ServiceKit

/// Turns MultipartParser's callbacks into text fields and file bytes to write, within the limits.
///
/// A class because the parser's three callbacks share it; it lives inside one call of
/// `Request.streamFormData`. A callback cannot throw, so the first refusal is kept in ``error``
/// and what follows it ignored.
final class StreamedPartCollector {
    /// What the caller accepts.
    struct Limits {
        /// File bytes are handed out for writing in batches of at least this many.
        var writeBatchBytes = 512 * 1024
        var maxFieldBytes: Int
        var maxParts: Int
        var maxFileBytes: Int64
        var tooLarge: @Sendable () -> APIError
    }

    /// A part's headers as far as they have come.
    private struct Headers {
        var name: String?
        var filename: String?
        var contentType: String?
    }

    /// What the current part is, known once its headers are all in.
    private enum Kind {
        case field(name: String)
        case file(FilePart)
    }


    private let limits: Limits
    private(set) var fields: [StreamedFormData.Field] = []
    /// The first refusal, for the feeder to throw once the parser returns.
    private(set) var error: (any Error)?
    /// The callbacks so far (see ``MultipartFeeder/maxQuietBytes``).
    private(set) var events = 0
    /// The parts ended so far, so the feeder can tell a close delimiter from look-alike bytes.
    private(set) var partsEnded = 0
    private var partsStarted = 0
    /// The current part's headers; `nil` between parts.
    private var headers: Headers?
    /// `nil` while the current part's headers are still coming.
    private var kind: Kind?
    private var fieldBytes = ByteBuffer()
    /// The current file part's bytes not handed out yet, and its size so far.
    private var fileBytes = ByteBuffer()
    private var fileSize: Int64 = 0
    /// File parts that ended since the last ``takeFileBytes()``, with their last bytes.
    private var endedFiles: [FileBytes] = []

    init(limits: Limits) {
        self.limits = limits
    }

    func header(name: String, value: String) {
        events += 1
        guard error == nil else { return }
        startPart()
        switch name.lowercased() {
        case "content-disposition":
            guard let disposition = HeaderValue(value), disposition.value == "form-data" else { return }
            headers?.name = disposition.parameters["name"]
            headers?.filename = disposition.parameters["filename"]
        case "content-type":
            headers?.contentType = value
        default:
            break
        }
    }

    func body(_ chunk: inout ByteBuffer) {
        events += 1
        guard error == nil, let kind = beginBody() else { return }
        switch kind {
        case .field(let name):
            guard chunk.readableBytes <= limits.maxFieldBytes - fieldBytes.readableBytes else {
                return fail(APIError(.contentTooLarge, "The field \(name) is longer than \(limits.maxFieldBytes) bytes"))
            }
            fieldBytes.writeBuffer(&chunk)
        case .file:
            fileSize += Int64(chunk.readableBytes)
            guard fileSize <= limits.maxFileBytes else { return fail(limits.tooLarge()) }
            fileBytes.writeBuffer(&chunk)
        }
    }

    func completePart() {
        events += 1
        partsEnded += 1
        guard error == nil, let kind = beginBody() else { return }
        switch kind {
        case .field(let name):
            fields.append(.init(name: name, value: String(buffer: fieldBytes)))
            fieldBytes.clear()
        case .file(let part):
            endedFiles.append(FileBytes(part: part, data: fileBytes, isLast: true))
            fileBytes = ByteBuffer()
        }
        (headers, self.kind, fileSize) = (nil, nil, 0)
    }

    /// The file bytes to write now, in order: those of every file part that ended, then the
    /// current file part's if they make a batch.
    func takeFileBytes() -> [FileBytes] {
        var taken = endedFiles
        endedFiles = []
        if case .file(let part) = kind, fileBytes.readableBytes >= limits.writeBatchBytes {
            taken.append(FileBytes(part: part, data: fileBytes, isLast: false))
            fileBytes = ByteBuffer()
        }
        return taken
    }

    private func startPart() {
        guard headers == nil else { return }
        headers = Headers()
        partsStarted += 1
        if partsStarted > limits.maxParts {
            fail(APIError(.contentTooLarge, "The form has more than \(limits.maxParts) parts"))
        }
    }

    /// The current part's kind, settled by its first body byte or its end, so after all its
    /// headers; `nil` (and the body refused) for a part without a name.
    private func beginBody() -> Kind? {
        startPart()
        if let kind { return kind }
        guard let headers, let name = headers.name else {
            fail(FormDataParser.malformed)
            return nil
        }
        let kind = headers.filename.map { Kind.file(FilePart(name: name, filename: $0, contentType: headers.contentType)) }
        self.kind = kind ?? .field(name: name)
        return self.kind
    }

    private func fail(_ refusal: any Error) {
        if error == nil { error = refusal }
    }
}
