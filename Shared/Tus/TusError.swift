import HTTPTypes
import ServiceKit

/// The module's refusals, as the API's one error type (`{"detail": ...}`).
enum TusError {
    /// tus's own status for a body whose `Upload-Checksum` does not match.
    static let checksumMismatchStatus = HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")
    /// WebDAV's 423, what tus servers answer while another request holds the upload.
    static let lockedStatus = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")

    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, message)
    }

    /// Unknown, malformed or another user's upload: the same answer, so existence never leaks.
    static let notFound = APIError(.notFound, "Upload not found")
    static let gone = APIError(.gone, "Upload expired")
    static let locked = APIError(lockedStatus, "Upload is locked by another request; retry later")
    static let checksumMismatch = APIError(checksumMismatchStatus, "Upload-Checksum does not match the body")
    static let interrupted = APIError(.badRequest, "The request body ended early; the bytes received are kept")

    static func unsupportedVersion() -> APIError {
        APIError(
            .preconditionFailed, "Tus-Resumable must be \(TusHeader.protocolVersion)",
            headers: [TusHeader.version: TusHeader.protocolVersion])
    }

    static func offsetMismatch(expected: Int64) -> APIError {
        APIError(.conflict, "Upload-Offset does not match the upload's offset \(expected)")
    }

    static func tooLarge(maxSize: Int64) -> APIError {
        APIError(.contentTooLarge, "Upload-Length exceeds the maximum size of \(maxSize) bytes")
    }

    static let beyondLength = APIError(.contentTooLarge, "The body goes beyond Upload-Length")

    static let wrongContentType = APIError(
        .unsupportedMediaType, "Content-Type must be \(TusHeader.offsetOctetStream)")
}
