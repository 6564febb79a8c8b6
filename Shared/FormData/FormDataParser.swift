import HTTPTypes
import MultipartKit
import NIOCore
import ServiceKit

/// Splits a complete `multipart/form-data` body into parts with MultipartKit's `MultipartParser`.
enum FormDataParser {
    /// The 400 for a body that is not well-formed `multipart/form-data`.
    static var malformed: APIError { APIError(.badRequest, "There was an error parsing the body") }

    /// The boundary from a `Content-Type: multipart/form-data; boundary=...` value; `nil` for
    /// another type, or a boundary that is missing or longer than RFC 2046's 70 characters.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, let header = HeaderValue(contentType), header.value == "multipart/form-data",
            let boundary = header.parameters["boundary"], (1...70).contains(boundary.utf8.count)
        else { return nil }
        return boundary
    }

    /// The parts of `body`, in order.
    ///
    /// - Throws: ``malformed`` for a syntax error, a part without a `Content-Disposition` name,
    ///   or a body that ends before its closing boundary (a truncated upload).
    static func parse(_ body: ByteBuffer, boundary: String) throws -> FormData {
        let collector = PartCollector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name: name, value: value) }
        parser.onBody = { chunk in collector.append(&chunk) }
        parser.onPartComplete = { collector.completePart() }
        do {
            try parser.execute(body)
        } catch {
            throw malformed
        }
        // MultipartKit does not say whether it reached the close delimiter, so look for it;
        // the boundary never occurs inside a part, so its first `--boundary--` is the end.
        guard !collector.failed, !collector.isInPart, contains(body, closeDelimiterOf: boundary) else { throw malformed }
        return FormData(parts: collector.parts)
    }

    /// Whether `body` holds `--boundary--` at its start or after a line break.
    private static func contains(_ body: ByteBuffer, closeDelimiterOf boundary: String) -> Bool {
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)--".utf8)
        if bytes.starts(with: delimiter) { return true }
        let afterLineBreak = Array("\r\n".utf8) + delimiter
        return bytes.firstRange(of: afterLineBreak) != nil
    }
}

/// Gathers MultipartParser's callbacks into ``FormDataPart``s.
///
/// A class because the parser's three callbacks share it; it never leaves ``FormDataParser/parse(_:boundary:)``.
private final class PartCollector {
    private(set) var parts: [FormDataPart] = []
    /// Whether a header or body byte of a part has arrived since the last part ended.
    private(set) var isInPart = false
    /// Whether a part lacked a name, so the body must be refused.
    private(set) var failed = false
    private var name: String?
    private var filename: String?
    private var contentType: String?
    private var body = ByteBuffer()

    func header(name headerName: String, value: String) {
        isInPart = true
        switch headerName.lowercased() {
        case "content-disposition":
            guard let disposition = HeaderValue(value), disposition.value == "form-data" else { return }
            name = disposition.parameters["name"]
            filename = disposition.parameters["filename"]
        case "content-type":
            contentType = value
        default:
            break
        }
    }

    func append(_ chunk: inout ByteBuffer) {
        isInPart = true
        body.writeBuffer(&chunk)
    }

    func completePart() {
        if let name {
            parts.append(FormDataPart(name: name, filename: filename, contentType: contentType, body: body))
        } else {
            failed = true
        }
        (name, filename, contentType, body, isInPart) = (nil, nil, nil, ByteBuffer(), false)
    }
}
