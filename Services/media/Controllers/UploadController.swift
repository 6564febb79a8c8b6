import FormData
import Foundation
import Hummingbird
import Identity
import NIOPosix
import ServiceKit

/// The two Clipset ways in under `/api/videos`: one multipart POST, and the chunked
/// API made resumable (API §3.5, §4.1, Part A). Bodies stream to `temp/uploads/`.
struct UploadController: Sendable {
    let intake: UploadIntake
    let sessions: UploadSessionRepository
    let chunks: ChunkStore
    let threadPool: NIOThreadPool

    /// The extensions the multipart route accepts, as the original checked them.
    static let acceptedExtensions = ["mp4", "mov", "avi", "mkv", "webm", "hevc", "h265"]

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("upload", use: upload)
        group.post("upload/init", use: open)
        group.post("upload/chunk", use: receiveChunk)
        group.get("upload/:upload_id", use: status)
        group.post("upload/complete", use: complete)
    }

    /// `POST /upload`: the whole file in one multipart body; 201 with the pending video.
    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<VideoBody> {
        let limits = try await intake.limits()
        if let declared = request.headers[.contentLength].flatMap(Int64.init) {
            // The form's fields and boundaries take a little room; allow for them.
            try await intake.checkAllowed(size: max(0, declared - 64 * 1024), for: context.identity.userID, limits: limits)
        }
        let form = try await receive(request, maxFileBytes: limits.maxFileSize, context: context)
        do {
            let fields = try UploadFields(form: form)
            let video = try await intake.accept(
                ReceivedUpload(
                    path: fields.file.path, size: fields.file.size, originalFilename: fields.file.filename,
                    title: fields.title, description: fields.description, categoryID: fields.categoryID),
                by: context.identity)
            await form.removeFiles()
            return EditedResponse(status: .created, response: VideoBody(video))
        } catch {
            await form.removeFiles()
            throw error
        }
    }

    /// Streams the body's file parts to `temp/uploads/`.
    func receive(_ request: Request, maxFileBytes: Int64, context: AuthenticatedContext) async throws -> StreamedFormData {
        try await request.streamFormData(
            into: intake.root.path("temp/uploads"), maxFileBytes: maxFileBytes,
            tooLarge: { APIError(.badRequest, SizeMessages.tooLarge(max: maxFileBytes)) }, threadPool: threadPool)
    }
}

/// The fields of the multipart upload, checked as the original checked them.
private struct UploadFields {
    let file: StreamedFile
    let title: String
    let description: String?
    let categoryID: UUID?

    init(form: StreamedFormData) throws {
        var problems: [APIError.FieldProblem] = []
        let file = form.file("file")
        if file == nil { problems.append(.init(loc: ["body", "file"], msg: "Field required", type: "missing")) }
        let title = form.field("title")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if title == nil { problems.append(.init(loc: ["body", "title"], msg: "Field required", type: "missing")) }
        var categoryID: UUID?
        if let text = form.field("category_id")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            categoryID = UUID(uuidString: text)
            if categoryID == nil { throw APIError(.notFound, "Category not found: \(text)") }
        }
        guard let file, let title, problems.isEmpty else { throw APIError(validation: problems) }
        guard !file.filename.isEmpty else { throw APIError(.badRequest, "No filename provided") }
        let ext = (file.filename as NSString).pathExtension.lowercased()
        guard UploadController.acceptedExtensions.contains(ext) else {
            throw APIError(.badRequest, "Invalid file type. Accepted formats: \(UploadController.acceptedExtensions.joined(separator: ", "))")
        }
        guard !title.isEmpty else {
            throw APIError(validation: [.init(loc: ["body", "title"], msg: "String should have at least 1 character", type: "string_too_short", input: .string(title))])
        }
        let description = form.field("description")?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.file = file
        self.title = title
        self.description = description?.isEmpty == true ? nil : description
        self.categoryID = categoryID
    }
}
