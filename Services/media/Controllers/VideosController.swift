import Foundation
import Hummingbird
import Identity
import Logging
import ServiceKit

/// `/api/videos` apart from uploads and streaming: list, read, change, delete, count a
/// view, and the quota routes (API §3.5).
struct VideosController: Sendable {
    let videos: VideoRepository
    let files: VideoFiles
    let views: ViewCounter
    let quotas: QuotaRepository
    let settings: RuntimeConfigRepository
    let logger: Logger

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, admin: RouterGroup<AdminContext>) {
        group.get("", use: list)
        group.get("quota/me", use: quota)
        group.get(":short_id", use: show)
        group.patch(":short_id", use: update)
        group.delete(":short_id", use: delete)
        group.post(":short_id/view", use: view)
        admin.post("admin/quota/reset-all", use: resetQuotas)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> VideoListBody {
        let query = try VideoListQuery(request)
        let (page, total) = try await videos.list(query, viewer: context.identity)
        let counts = await views.counts(for: page)
        return VideoListBody(videos: page.map { VideoBody($0, viewCount: counts[$0.id]) }, total: total)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> VideoBody {
        let video = try await visibleVideo(context)
        return VideoBody(video, viewCount: await views.counts(for: [video])[video.id])
    }

    /// Only the keys sent are applied; `null` clears `description` and `category_id`.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> VideoBody {
        var request = request
        let video = try await manageableVideo(context)
        var fields = try await request.jsonFields()
        var change = VideoChange()
        if fields.contains("title") {
            let title = fields.string("title")?.trimmingCharacters(in: .whitespacesAndNewlines)
            fields.checkLength("title", title, min: 1, max: 200)
            change.title = title
        }
        if fields.contains("description") {
            let description = fields.optionalString("description")
            fields.checkLength("description", description, max: 2000)
            change.description = .some(description)
        }
        var categoryText: String?
        if fields.contains("category_id") {
            categoryText = fields.optionalString("category_id")
            change.categoryID = .some(nil)
        }
        try fields.validate()
        if let categoryText, !categoryText.isEmpty {
            guard let id = UUID(uuidString: categoryText), try await videos.categoryExists(id) else {
                throw APIError(.notFound, "Category not found: \(categoryText)")
            }
            change.categoryID = .some(id)
        }
        guard let updated = try await videos.update(id: video.id, change) else {
            throw APIError(.notFound, "Video not found: \(video.shortID)")
        }
        return VideoBody(updated, viewCount: await views.counts(for: [updated])[updated.id])
    }

    /// Deletes the row (announcing it), then the files: outputs, thumbnail and the original.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let video = try await manageableVideo(context)
        if try await videos.delete(video) {
            await files.remove(video)
        }
        return Response(status: .noContent)
    }

    /// Every call counts (API §3.5); no visibility check, as in the original.
    @Sendable func view(_ request: Request, context: AuthenticatedContext) async throws -> ViewCountBody {
        let video = try await findVideo(context)
        return ViewCountBody(viewCount: try await views.record(video))
    }

    @Sendable func quota(_ request: Request, context: AuthenticatedContext) async throws -> QuotaBody {
        let settings = try await settings.current().settings
        let usage = try await quotas.usage(of: context.identity.userID)
        return QuotaBody(usedBytes: usage.usedBytes, limitBytes: settings.weeklyUploadLimitBytes, maxFileSizeBytes: settings.maxFileSizeBytes)
    }

    @Sendable func resetQuotas(_ request: Request, context: AdminContext) async throws -> QuotaResetBody {
        let count = try await quotas.resetAll()
        logger.info("weekly quotas reset by an admin", metadata: ["quota.users": "\(count)", "user.id": "\(context.identity.userID)"])
        return QuotaResetBody(resetCount: count, message: "Successfully reset quotas for \(count) users")
    }

    // MARK: - Finding the video and checking the caller

    /// The video of the `short_id` path parameter, whoever may see it; 404 when there is none.
    func findVideo(_ context: some RequestContext) async throws -> VideoRecord {
        let shortID = context.parameters.get("short_id") ?? ""
        guard let video = try await videos.video(shortID: shortID) else { throw APIError(.notFound, "Video not found: \(shortID)") }
        return video
    }

    private func visibleVideo(_ context: AuthenticatedContext) async throws -> VideoRecord {
        let video = try await findVideo(context)
        guard video.isVisible(to: context.identity.userID, isAdmin: context.identity.isAdmin) else {
            throw APIError(.forbidden, "You don't have permission to view this video")
        }
        return video
    }

    private func manageableVideo(_ context: AuthenticatedContext) async throws -> VideoRecord {
        let video = try await findVideo(context)
        guard video.isManageable(by: context.identity.userID, isAdmin: context.identity.isAdmin) else {
            throw APIError(.forbidden, "You don't have permission to access this video")
        }
        return video
    }
}

/// `{"view_count": n}`.
struct ViewCountBody: ResponseEncodable {
    let viewCount: Int64
    enum CodingKeys: String, CodingKey { case viewCount = "view_count" }
}

/// `{"reset_count": n, "message": ...}`.
struct QuotaResetBody: ResponseEncodable {
    let resetCount: Int
    let message: String
    enum CodingKeys: String, CodingKey { case resetCount = "reset_count", message }
}
