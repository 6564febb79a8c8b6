import Foundation
import HTTPTypes
import Identity
import ServiceKit
import Tus

/// What the tus endpoint (`/api/uploads/`) means in Clipset: uploads belong to the signed-in
/// user, are checked against the file limit and the quota from `Upload-Length` before a byte
/// is stored, and become a video (its id the upload's, so a repeated completion finds it) with
/// `filename`, `title`, `description` and `category_id` from `Upload-Metadata`.
struct TusVideoHooks: TusHooks {
    typealias Context = AuthenticatedContext

    let intake: UploadIntake

    static let videoIDHeader = HTTPField.Name("X-Video-Id")!
    static let shortIDHeader = HTTPField.Name("X-Video-Short-Id")!

    func owner(of context: AuthenticatedContext) throws -> String { context.identity.userID.apiString }

    /// Refuses, before a byte is stored, what the completion would refuse: bad details, an
    /// unknown category (404), a file over the limit or the quota.
    func authorizeCreate(length: Int64, metadata: TusMetadata, context: AuthenticatedContext) async throws {
        let details = try Self.details(metadata)
        if let categoryID = details.categoryID, try await !intake.videos.categoryExists(categoryID) {
            throw APIError(.notFound, "Category not found: \(categoryID.apiString)")
        }
        try await intake.checkAllowed(size: length, for: context.identity.userID)
    }

    func completed(_ upload: TusUpload, path: String, context: AuthenticatedContext) async throws -> HTTPFields {
        let details = try Self.details(upload.metadata)
        let video = try await intake.accept(
            ReceivedUpload(
                videoID: upload.id, path: path, size: upload.length, originalFilename: details.filename,
                title: details.title, description: details.description, categoryID: details.categoryID),
            by: context.identity)
        return [Self.videoIDHeader: video.id.apiString, Self.shortIDHeader: video.shortID]
    }

    /// The video's details from the metadata: the title defaults to the file name without
    /// its extension; a title over 200 characters or a malformed category id is a 400.
    static func details(_ metadata: TusMetadata) throws -> (filename: String, title: String, description: String?, categoryID: UUID?) {
        let filename = metadata["filename"]?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? "upload"
        let title = metadata["title"]?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
            ?? (filename as NSString).deletingPathExtension.nonEmpty ?? filename
        guard title.count <= 200 else { throw APIError(.badRequest, "The title must be at most 200 characters") }
        let description = metadata["description"]?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        guard (description?.count ?? 0) <= 2000 else { throw APIError(.badRequest, "The description must be at most 2000 characters") }
        var categoryID: UUID?
        if let text = metadata["category_id"]?.trimmingCharacters(in: .whitespaces).nonEmpty {
            guard let id = UUID(uuidString: text) else { throw APIError(.notFound, "Category not found: \(text)") }
            categoryID = id
        }
        guard !title.unicodeScalars.contains("\0"), !filename.unicodeScalars.contains("\0"),
            !(description?.unicodeScalars.contains("\0") ?? false)
        else { throw APIError(.badRequest, "Upload-Metadata must not contain NUL characters") }
        return (filename, title, description, categoryID)
    }
}

extension String {
    /// nil for an empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
