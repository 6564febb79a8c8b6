import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import ServiceKit

/// Answers `GET` and `HEAD` for one media file: 200, 206 (one range, or several as
/// `multipart/byteranges`), 304 or 416, with the body streamed from disk.
///
/// The file is opened once, on the thread pool, and its `fstat` gives the size and the
/// validators, so headers and bytes always describe the same file even while a new
/// version is renamed into place. The body is read in chunks of ``chunkSize`` with
/// `pread` on the thread pool, the next chunk read while the current one is written, and
/// each write waits for the connection to drain (backpressure): at most two chunks of a
/// response are in memory. The file is closed when the body ends, fails, or is never
/// written because the client left.
///
/// Range handling follows RFC 9110 §14 (see ``RangeSelection``); conditionals are
/// `If-None-Match` (304) and `If-Range`. `Range` is ignored on `HEAD` (§14.2 defines
/// ranges for `GET` only), so a `HEAD` answers what a plain `GET` would, without a body.
package struct MediaFileResponder: Sendable {
    /// Where the blocking `open`, `fstat` and `pread` calls run, never an event loop.
    package let threadPool: NIOThreadPool
    /// Bytes read from disk per step; two chunks per response are in memory at most.
    ///
    /// The default of 512 KiB served random 1-4 MiB ranges of a 200 MB file (in the page
    /// cache, 8 connections, wrk on the same 2 cores) at about 2.1 GB/s, against 1.9 GB/s
    /// with 256 KiB and 2.2 GB/s with 1 MiB; nginx did 2.7 GB/s (1.3 GB/s with `sendfile on`).
    package let chunkSize: Int

    package init(threadPool: NIOThreadPool, chunkSize: Int = 512 * 1024) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.threadPool = threadPool
        self.chunkSize = chunkSize
    }

    /// The response to `request` for the file at `file`, which the caller has already
    /// resolved inside its media root (see ``ConfinedFolder``).
    ///
    /// - Parameters:
    ///   - contentType: the file's media type (see ``MediaContentType``).
    ///   - headers: added to 200, 206 and 304 responses, e.g. `Cache-Control`.
    ///   - notFoundMessage: the `detail` of the 404 when the file is missing or not a regular file.
    /// - Throws: ``APIError`` 404 (missing file), 416 (with `Content-Range: bytes */size` and
    ///   `detail` `Invalid request range (Range: '<header>')`), 405 for another method.
    package func response(
        for request: Request, file: URL, contentType: String, headers extraHeaders: HTTPFields = [:], notFoundMessage: String
    ) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: "GET, HEAD"])
        }
        let path = file.path(percentEncoded: false)
        let opened: MediaFile
        do {
            opened = try await threadPool.runIfActive { try MediaFile.open(path: path) }
        } catch MediaFile.OpenFailure.notFound {
            throw APIError(.notFound, notFoundMessage)
        }
        do {
            return try response(for: request, file: opened, contentType: contentType, headers: extraHeaders)
        } catch {
            opened.close()
            throw error
        }
    }

    /// The response for an open file; it owns `file` from here on (closing it or handing it to the body).
    private func response(for request: Request, file: MediaFile, contentType: String, headers extraHeaders: HTTPFields) throws -> Response {
        let size = file.info.size
        let validators = MediaValidators(file.info)
        var headers = extraHeaders
        headers[.eTag] = validators.eTag
        headers[.lastModified] = validators.lastModified
        headers[.acceptRanges] = "bytes"

        if validators.noneMatchHolds(request.headers[values: .ifNoneMatch]) {
            file.close()
            var response = Response(status: .notModified, headers: headers)
            // A 304 may only carry the length of the 200 it stands for, so carry none.
            response.headers[.contentLength] = nil
            return response
        }

        let rangeHeaders = request.headers[values: .range]
        let honoursRange =
            request.method == .get && rangeHeaders.count == 1
            && request.headers[.ifRange].map(validators.ifRangeHolds) ?? true
        let selection = honoursRange ? RangeSelection(header: rangeHeaders[0], size: size) : .whole

        let status: HTTPResponse.Status
        let body: MediaBody
        switch selection {
        case .whole:
            status = .ok
            headers[.contentType] = contentType
            body = .ranges(size > 0 ? [0...(size - 1)] : [])
        case .ranges(let ranges) where ranges.count == 1:
            status = .partialContent
            headers[.contentType] = contentType
            headers[.contentRange] = "bytes \(ranges[0].lowerBound)-\(ranges[0].upperBound)/\(size)"
            body = .ranges(ranges)
        case .ranges(let ranges):
            status = .partialContent
            let multipart = MultipartByteRanges(ranges: ranges, size: size, contentType: contentType)
            headers[.contentType] = multipart.contentType
            body = .multipart(multipart)
        case .unsatisfiable:
            throw APIError(
                .rangeNotSatisfiable, "Invalid request range (Range: '\(rangeHeaders[0])')",
                headers: [.contentRange: "bytes */\(size)", .acceptRanges: "bytes"]
            )
        }
        headers[.contentLength] = String(body.length)
        guard request.method == .get, body.length > 0 else {
            file.close()
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        return Response(status: status, headers: headers, body: streamingBody(body, of: file))
    }
}
