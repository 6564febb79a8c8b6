import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

extension Request {
    /// Reads the whole body, at most `maxBodyBytes` of it, and parses it as `multipart/form-data`.
    ///
    /// For small uploads only (avatars, category images): every part is held in memory. The body
    /// is read chunk by chunk and reading stops at the first chunk that would pass the limit, so
    /// no more than `maxBodyBytes` is ever buffered; a `Content-Length` over the limit is refused
    /// before anything is read. The collected body replaces the request's, so it can be read again.
    ///
    /// Callers check the fields they need with ``FormData/field(_:)`` and ``FormData/file(_:)``.
    ///
    /// - Parameters:
    ///   - maxBodyBytes: the largest body accepted, boundaries and headers included.
    ///   - tooLarge: the error thrown for a larger body, e.g. a 413 naming the limit.
    /// - Throws: `tooLarge()`; a 400 `APIError` ("There was an error parsing the body") when the
    ///   `Content-Type` is not `multipart/form-data` with a boundary, or the body is malformed or
    ///   truncated; errors from reading the body.
    package mutating func collectFormData(
        maxBodyBytes: Int, tooLarge: @autoclosure () -> APIError
    ) async throws -> FormData {
        guard let boundary = FormDataParser.boundary(contentType: headers[.contentType]) else {
            throw FormDataParser.malformed
        }
        if let declared = headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw tooLarge()
        }
        var collected = ByteBuffer()
        for try await chunk in body {
            guard chunk.readableBytes <= maxBodyBytes - collected.readableBytes else { throw tooLarge() }
            collected.writeImmutableBuffer(chunk)
        }
        body = RequestBody(buffer: collected)
        return try FormDataParser.parse(collected, boundary: boundary)
    }
}
