import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

extension TusController {
    /// POST: creates an upload (creation), storing the body when it has one
    /// (creation-with-upload). Answers 201 with `Location: <prefix>/<id>`.
    ///
    /// Every refusal comes before a file is made: 400 no `Upload-Length` (deferred length is not
    /// supported) or bad `Upload-Metadata`, 413 over `maxSize`, and whatever the service's
    /// `authorizeCreate` throws. When the body then fails (checksum, too long, cut off), the
    /// upload is removed again: the client never learnt its `Location`, so nothing could
    /// resume it. A failed conversion of an upload finished by this request is the exception:
    /// its bytes are kept and the error carries the `Location`.
    func create(_ request: Request, context: Context) async throws -> Response {
        let owner = try hooks.owner(of: context)
        guard request.headers[TusHeader.uploadDeferLength] == nil else {
            throw TusError.badRequest("Upload-Defer-Length is not supported; send Upload-Length")
        }
        guard let length = TusHeader.nonNegativeInteger(request.headers[TusHeader.uploadLength]) else {
            throw TusError.badRequest("Upload-Length must be a non-negative integer")
        }
        guard length <= configuration.maxSize else { throw TusError.tooLarge(maxSize: configuration.maxSize) }
        guard let metadata = TusMetadata(header: request.headers[TusHeader.uploadMetadata] ?? "") else {
            throw TusError.badRequest("Upload-Metadata must be comma-separated 'key base64value' pairs with unique keys")
        }
        let declared = declaredLength(request)
        let hasBody = TusHeader.isOffsetOctetStream(request.headers[.contentType])
        if !hasBody, let declared, declared > 0 { throw TusError.wrongContentType }
        if hasBody, let declared, declared > length { throw TusError.beyondLength }
        let checksum = hasBody ? try TusChecksum(header: request.headers[TusHeader.uploadChecksum]) : nil
        try await hooks.authorizeCreate(length: length, metadata: metadata, context: context)

        let now = configuration.now()
        let upload = TusUpload(
            id: UUID(), owner: owner, length: length, metadata: metadata,
            created: now, expires: now.addingTimeInterval(configuration.expiryInterval))
        let location: HTTPFields = [.location: "\(configuration.locationPrefix)/\(upload.id.apiString)"]
        let outcome: Result<HTTPFields, any Error>
        do {
            outcome = try await store.create(upload) { file in
                var upload = upload
                if hasBody {
                    let received = try await receive(request.body, into: file, at: 0, limit: length, checksum: checksum)
                    if received.interruption != nil { throw TusError.interrupted }
                    if received.bytes > 0 {
                        upload.offset = received.bytes
                        try await store.write(upload)
                    }
                }
                let headers = merging(progressHeaders(upload), into: location)
                guard upload.needsCompletion else { return .success(headers) }
                do {
                    return .success(merging(try await complete(&upload, context: context), into: headers))
                } catch let error as APIError {
                    return .failure(error.adding(headers: headers))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            try? await store.remove(upload.id)
            throw error
        }
        context.logger.debug("tus upload created", metadata: ["tus.id": "\(upload.id.apiString)", "tus.length": "\(length)"])
        return Response(status: .created, headers: try outcome.get())
    }
}
