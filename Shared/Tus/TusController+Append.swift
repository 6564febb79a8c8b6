import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

extension TusController {
    /// PATCH: appends the body at `Upload-Offset`, under the upload's lock.
    ///
    /// Refusals, in order: 415 wrong `Content-Type`, 400 bad `Upload-Offset` or
    /// `Upload-Checksum`, 404 unknown or another user's, 410 expired, 423 another request holds
    /// it, 409 offset mismatch, 413 more bytes than the upload has left, 460 checksum mismatch.
    func append(_ request: Request, context: Context) async throws -> Response {
        let owner = try hooks.owner(of: context)
        let id = try uploadID(context)
        guard TusHeader.isOffsetOctetStream(request.headers[.contentType]) else { throw TusError.wrongContentType }
        guard let offset = TusHeader.nonNegativeInteger(request.headers[TusHeader.uploadOffset]) else {
            throw TusError.badRequest("Upload-Offset must be a non-negative integer")
        }
        let checksum = try TusChecksum(header: request.headers[TusHeader.uploadChecksum])
        let declared = declaredLength(request)
        let recorded = try await load(id, owner: owner)
        if recorded.completion != nil { return try await answerConverted(recorded, offset: offset, request: request) }

        let response = try await store.withLock(id) { file -> Response in
            // Read again under the lock: another request may have moved the offset meanwhile.
            var upload = try await load(id, owner: owner)
            try await reconcile(&upload, with: file)
            guard offset == upload.offset else { throw TusError.offsetMismatch(expected: upload.offset) }
            let left = upload.length - upload.offset
            if let declared, declared > left { throw TusError.beyondLength }
            let received = try await receive(request.body, into: file, at: upload.offset, limit: left, checksum: checksum)
            if received.bytes > 0 {
                upload.offset += received.bytes
                upload.expires = configuration.now().addingTimeInterval(configuration.expiryInterval)
                try await store.write(upload)
            }
            if let interruption = received.interruption {
                context.logger.debug("tus PATCH body ended early", metadata: [
                    "tus.id": "\(id.apiString)", "tus.offset": "\(upload.offset)", "error": "\(interruption)",
                ])
                throw TusError.interrupted
            }
            let headers = progressHeaders(upload)
            guard upload.needsCompletion else { return Response(status: .noContent, headers: headers) }
            do {
                let fields = try await complete(&upload, context: context)
                return Response(status: .noContent, headers: merging(fields, into: headers))
            } catch let error as APIError {
                throw error.adding(headers: headers)
            }
        }
        if let response { return response }
        // No data file: it was handed to the completion hook, which has finished or is running.
        let current = try await load(id, owner: owner)
        if current.completion != nil { return try await answerConverted(current, offset: offset, request: request) }
        throw current.isComplete ? TusError.locked : TusError.notFound
    }

    /// Makes the data file hold exactly the recorded bytes: bytes past the offset are a
    /// request that stopped before it recorded them (a crash, a refused body), and are cut.
    /// A file shorter than the record (lost by the file system) moves the offset back, so the
    /// client's next HEAD tells it to send them again.
    func reconcile(_ upload: inout TusUpload, with file: LockedDataFile) async throws {
        let size = try await store.blocking { try file.size() }
        let recorded = upload.offset
        if size > recorded {
            try await store.blocking { try file.truncate(to: recorded) }
        } else if size < recorded {
            upload.offset = size
            try await store.write(upload)
        }
    }
}
