import Foundation
import Hummingbird
import Identity
import ServiceKit

/// Comments (API §3.7, §4.5): on the videos the caller may see, one level of
/// replies, edits by the author within 24 hours, deletes by the author, the
/// video's uploader or an admin. Lists and markers come through ``CommentCache``.
struct CommentsController: Sendable {
    let comments: CommentRepository
    let cache: CommentCache
    let rules: CommentRules

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("videos/:video_id/comments", use: list)
        group.post("videos/:video_id/comments", use: create)
        group.get("videos/:video_id/comment-markers", use: markers)
        group.patch("comments/:comment_id", use: edit)
        group.delete("comments/:comment_id", use: delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> CommentListBody {
        let videoID = try context.parameters.uuid("video_id")
        var query = request.queryFields
        let sortText = query.optionalString("sort") ?? CommentSort.newest.rawValue
        let sort = CommentSort(rawValue: sortText)
        if sort == nil {
            query.report("sort", "Input should be 'newest', 'oldest' or 'timestamp'", type: "literal_error")
        }
        try query.validate()
        let page = try PageRequest(request, defaultLimit: 50, maxLimit: 100)
        let video = try await visibleVideo(videoID, context)
        let order = sort ?? .newest
        let key = CommentCache.pageKey(video: video.id, version: video.commentsVersion, sort: order, skip: page.skip, limit: page.limit)
        let result = try await cache.value(key, CommentPage.self) {
            try await comments.page(of: video.id, sort: order, page: page)
        }
        return CommentListBody(
            comments: result.comments.map { body($0, context, video) }, total: result.total,
            hasMore: result.total - page.limit > page.skip)
    }

    @Sendable func markers(_ request: Request, context: AuthenticatedContext) async throws -> [CommentMarkerBody] {
        let video = try await visibleVideo(context.parameters.uuid("video_id"), context)
        let markers = try await cache.value(CommentCache.markersKey(video: video.id, version: video.commentsVersion), [CommentMarker].self) {
            try await comments.markers(of: video.id)
        }
        return markers.map { CommentMarkerBody(seconds: $0.seconds, count: $0.count) }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<CommentBody> {
        let videoID = try context.parameters.uuid("video_id")
        var request = request
        var fields = try await request.jsonFields()
        let content = Self.content(&fields)
        let timestamp = fields.optionalInt("timestamp_seconds")
        fields.checkRange("timestamp_seconds", timestamp, min: 0, max: Int(Int32.max))
        let parentText = fields.optionalString("parent_id")
        let parentID = parentText.flatMap(UUID.init(uuidString:))
        if parentText != nil, parentID == nil { fields.report("parent_id", "Input should be a valid UUID", type: "uuid_parsing") }
        try fields.validate()
        let video = try await visibleVideo(videoID, context)
        let comment = try await comments.create(
            on: video, by: context.identity, content: content ?? "", timestampSeconds: timestamp, parentID: parentID, at: rules.now())
        return EditedResponse(status: .created, response: body(comment, context, video))
    }

    /// The author only, within 24 hours of writing.
    @Sendable func edit(_ request: Request, context: AuthenticatedContext) async throws -> CommentBody {
        _ = try context.parameters.uuid("comment_id")
        var request = request
        var fields = try await request.jsonFields()
        let content = Self.content(&fields)
        try fields.validate()
        let (comment, video) = try await find(context)
        guard comment.userID == context.identity.userID else { throw APIError(.forbidden, "You can only edit your own comments") }
        guard rules.isWithinEditWindow(comment) else { throw APIError(.forbidden, "Comment editing window (24h) has expired") }
        guard let edited = try await comments.edit(comment, content: content ?? "", at: rules.now()) else {
            throw APIError(.notFound, "Comment not found: \(comment.id.apiString)")
        }
        return body(edited, context, video)
    }

    /// The author, the video's uploader or an admin; replies go with their comment.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (comment, video) = try await find(context)
        guard rules.canDelete(comment, by: context.identity, videoOwner: video.uploadedBy) else {
            throw APIError(.forbidden, "You don't have permission to delete this comment")
        }
        guard try await comments.delete(comment) else { throw APIError(.notFound, "Comment not found: \(comment.id.apiString)") }
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    private func body(_ comment: CommentRecord, _ context: AuthenticatedContext, _ video: VideoEntry) -> CommentBody {
        CommentBody(comment: comment, caller: context.identity, videoOwner: video.uploadedBy, rules: rules)
    }

    /// The video of the path, if social knows it and the caller may see it (Part A:
    /// comments only on visible videos).
    private func visibleVideo(_ id: UUID, _ context: AuthenticatedContext) async throws -> VideoEntry {
        guard let video = try await comments.video(id) else { throw APIError(.notFound, "Video not found: \(id.apiString)") }
        guard video.isVisible(to: context.identity) else {
            throw APIError(.forbidden, "You don't have permission to view this video")
        }
        return video
    }

    /// The comment of the path and its video (a comment outlives its video by no more than an event).
    private func find(_ context: AuthenticatedContext) async throws -> (CommentRecord, VideoEntry) {
        let id = try context.parameters.uuid("comment_id")
        let notFound = APIError(.notFound, "Comment not found: \(id.apiString)")
        guard let comment = try await comments.comment(id), let video = try await comments.video(comment.videoID) else {
            throw notFound
        }
        return (comment, video)
    }

    /// 1..2000 characters, trimmed; blank is a 422.
    private static func content(_ fields: inout FieldReader) -> String? {
        guard let raw = fields.string("content") else { return nil }
        fields.checkLength("content", raw, min: 1, max: 2000)
        let content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if content.isEmpty, !raw.isEmpty { fields.report("content", "Value error, Comment cannot be empty") }
        return content
    }
}
