import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

extension TusController {
    /// Converts `id` if all its bytes are stored and no conversion succeeded yet; returns the
    /// completion hook's headers (the recorded ones when it was converted before).
    /// The caller holds the upload's lock.
    func completeIfNeeded(_ id: UUID, context: Context) async throws -> HTTPFields {
        guard var upload = try await store.read(id) else { throw TusError.notFound }
        guard upload.needsCompletion else { return upload.completionFields }
        return try await complete(&upload, context: context)
    }

    /// Hands the finished file to the completion hook, then records that it did and removes
    /// what the hook left of the data file. The caller holds the upload's lock, so the hook
    /// runs once at a time per upload; if it throws, nothing is recorded and a later request
    /// calls it again.
    func complete(_ upload: inout TusUpload, context: Context) async throws -> HTTPFields {
        let path = store.dataPath(upload.id)
        let fields = try await hooks.completed(upload, path: path, context: context)
        upload.recordCompletion(fields)
        try await store.write(upload)
        try await store.blocking { try POSIXFile.removeFile(path) }
        context.logger.debug("tus upload completed", metadata: ["tus.id": "\(upload.id.apiString)", "tus.length": "\(upload.length)"])
        return fields
    }

    /// The answer to a PATCH on an upload that was converted already: nothing more can be
    /// written, and the client learns the final offset and the conversion's headers again.
    func answerConverted(_ upload: TusUpload, offset: Int64, request: Request) async throws -> Response {
        guard offset == upload.offset else { throw TusError.offsetMismatch(expected: upload.offset) }
        if let declared = declaredLength(request) {
            if declared > 0 { throw TusError.beyondLength }
        } else {
            for try await chunk in request.body where chunk.readableBytes > 0 { throw TusError.beyondLength }
        }
        return Response(status: .noContent, headers: merging(upload.completionFields, into: progressHeaders(upload)))
    }
}
