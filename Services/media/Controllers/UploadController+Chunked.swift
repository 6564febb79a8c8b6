import FormData
import Foundation
import Hummingbird
import Identity
import NIOPosix
import ServiceKit

/// The chunked upload: init, chunks (resent ones replace), status, complete.
extension UploadController {
    /// The highest chunk index a session may use (`chunk_<5 digits>`).
    static let maxChunkIndex = 99_999

    /// `POST /upload/init`, optionally with `{"total_size", "total_chunks"}`: a new session.
    /// A declared size is checked against the limits at once, before any byte is sent.
    @Sendable func open(_ request: Request, context: AuthenticatedContext) async throws -> UploadSessionBody {
        var request = request
        var totalSize: Int64?
        var totalChunks: Int?
        let hasBody = request.headers[.contentLength].flatMap(Int.init).map { $0 > 0 } ?? (request.headers[.transferEncoding] != nil)
        if hasBody {
            var fields = try await request.jsonFields()
            let size = fields.optionalInt("total_size")
            let count = fields.optionalInt("total_chunks")
            fields.checkRange("total_size", size, min: 0)
            fields.checkRange("total_chunks", count, min: 1, max: Self.maxChunkIndex + 1)
            try fields.validate()
            totalSize = size.map(Int64.init)
            totalChunks = count
        }
        if let totalSize { try await intake.checkAllowed(size: totalSize, for: context.identity.userID) }
        let session = try await sessions.create(owner: context.identity.userID, totalSize: totalSize, totalChunks: totalChunks)
        return UploadSessionBody(session: session, chunks: [:])
    }

    /// `POST /upload/chunk`: multipart `upload_id`, `chunk_index`, `file`; 204 once the chunk is on disk.
    @Sendable func receiveChunk(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (maxFileSize, _) = try await intake.limits()
        let form = try await receive(request, maxFileBytes: maxFileSize, context: context)
        do {
            var problems: [APIError.FieldProblem] = []
            let idText = form.field("upload_id")
            if idText == nil { problems.append(.init(loc: ["body", "upload_id"], msg: "Field required", type: "missing")) }
            let indexText = form.field("chunk_index")
            let index = indexText.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if indexText == nil {
                problems.append(.init(loc: ["body", "chunk_index"], msg: "Field required", type: "missing"))
            } else if index == nil {
                problems.append(.init(loc: ["body", "chunk_index"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing", input: indexText.map { .string($0) }))
            } else if let index, !(0...Self.maxChunkIndex).contains(index) {
                problems.append(.init(loc: ["body", "chunk_index"], msg: "Input should be between 0 and \(Self.maxChunkIndex)", type: "value_error", input: .int(Int64(index))))
            }
            let file = form.file("file")
            if file == nil { problems.append(.init(loc: ["body", "file"], msg: "Field required", type: "missing")) }
            guard let idText, let index, let file, problems.isEmpty else { throw APIError(validation: problems) }
            guard let id = UUID(uuidString: idText),
                let session = try await sessions.find(id, owner: context.identity.userID, touch: true)
            else { throw APIError(.notFound, "Upload session not found: \(idText)") }
            if let total = session.totalChunks, index >= total {
                throw APIError(.badRequest, "Chunk index \(index) is beyond the session's \(total) chunks")
            }
            try await chunks.store(file.path, session: session.id, index: index)
            await form.removeFiles()
            return Response(status: .noContent)
        } catch {
            await form.removeFiles()
            throw error
        }
    }

    /// `GET /upload/{upload_id}`: which chunks the server holds, so a client can resume.
    @Sendable func status(_ request: Request, context: AuthenticatedContext) async throws -> UploadSessionBody {
        let text = context.parameters.get("upload_id") ?? ""
        guard let id = UUID(uuidString: text), let session = try await sessions.find(id, owner: context.identity.userID) else {
            throw APIError(.notFound, "Upload session not found: \(text)")
        }
        return UploadSessionBody(session: session, chunks: try await chunks.chunks(of: session.id))
    }

    /// `POST /upload/complete`: joins the chunks and makes the video (200). Missing chunks are a
    /// 400 that names them; the session stays, so the client can send them and complete again.
    @Sendable func complete(_ request: Request, context: AuthenticatedContext) async throws -> VideoBody {
        var request = request
        var fields = try await request.jsonFields()
        let idText = fields.string("upload_id")
        let title = fields.string("title")?.trimmingCharacters(in: .whitespacesAndNewlines)
        fields.checkLength("title", title, min: 1, max: 200)
        let description = fields.optionalString("description")
        fields.checkLength("description", description, max: 2000)
        let categoryText = fields.optionalString("category_id")
        let filename = fields.string("filename")
        try fields.validate()
        guard let idText, let title, let filename else { throw APIError(validation: fields.problems) }
        guard let id = UUID(uuidString: idText), try await sessions.find(id, owner: context.identity.userID) != nil else {
            throw APIError(.notFound, "Upload session not found: \(idText)")
        }
        return try await sessions.withCompletionLock(id) {
            // A complete that ran meanwhile made the video (its id is the session's) and closed the session.
            guard let session = try await sessions.find(id, owner: context.identity.userID) else {
                if let video = try await intake.videos.video(id: id), video.uploadedBy == context.identity.userID {
                    return VideoBody(video)
                }
                throw APIError(.notFound, "Upload session not found: \(idText)")
            }
            return try await complete(session, title: title, description: description, categoryText: categoryText, filename: filename, context: context)
        }
    }

    /// Joins the chunks of `session` (its completion lock held) and makes the video.
    private func complete(
        _ session: UploadSession, title: String, description: String?, categoryText: String?, filename: String,
        context: AuthenticatedContext
    ) async throws -> VideoBody {
        var categoryID: UUID?
        if let categoryText, !categoryText.isEmpty {
            guard let parsed = UUID(uuidString: categoryText) else { throw APIError(.notFound, "Category not found: \(categoryText)") }
            categoryID = parsed
        }
        let held = try await chunks.chunks(of: session.id)
        let count = session.totalChunks ?? ((held.keys.max() ?? -1) + 1)
        guard count > 0 else { throw APIError(.badRequest, "No chunks uploaded") }
        let missing = (0..<count).filter { held[$0] == nil }
        guard missing.isEmpty else {
            throw APIError(.badRequest, "Missing chunks: \(missing.map(String.init).joined(separator: ", "))")
        }
        let merged = intake.root.path("temp/uploads/\(session.id.apiString).\(UUID().uuidString.lowercased()).merge")
        let size = try await chunks.merge(session.id, count: count, into: merged)
        do {
            if let declared = session.totalSize, declared != size {
                throw APIError(.badRequest, "The chunks hold \(size) bytes, not the \(declared) declared at init")
            }
            let trimmed = description?.trimmingCharacters(in: .whitespacesAndNewlines)
            let video = try await intake.accept(
                ReceivedUpload(
                    videoID: session.id, path: merged, size: size, originalFilename: filename, title: title,
                    description: trimmed?.isEmpty == true ? nil : trimmed, categoryID: categoryID),
                by: context.identity)
            try await sessions.delete(session.id)
            await chunks.remove(session.id)
            await removeFile(merged)
            return VideoBody(video)
        } catch {
            await removeFile(merged)
            throw error
        }
    }

    private func removeFile(_ path: String) async {
        _ = try? await threadPool.runIfActive { unlink(path) }
    }
}

/// A session as `init` and `GET /upload/{id}` answer: `upload_id` (the original's only key)
/// plus what the server holds.
struct UploadSessionBody: ResponseEncodable {
    let session: UploadSession
    let chunks: [Int: Int64]

    enum CodingKeys: String, CodingKey {
        case uploadID = "upload_id", totalSize = "total_size", totalChunks = "total_chunks"
        case receivedChunks = "received_chunks", receivedBytes = "received_bytes", expiresAt = "expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(session.id.apiString, forKey: .uploadID)
        try c.encode(session.totalSize, forKey: .totalSize)
        try c.encode(session.totalChunks, forKey: .totalChunks)
        try c.encode(chunks.keys.sorted(), forKey: .receivedChunks)
        try c.encode(chunks.values.reduce(0, +), forKey: .receivedBytes)
        try c.encode(session.expiresAt, forKey: .expiresAt)
    }
}
