import Foundation
import Hummingbird
import Identity
import ServiceKit

/// `/api/playlists` (API §3.6): every user reads every playlist; the owner
/// changes it (an admin may only delete it).
struct PlaylistsController: Sendable {
    let playlists: PlaylistRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("", use: mine)
        group.post("", use: create)
        group.get("by-user/:username", use: byUser)
        group.get("videos/:video_id/playlists", use: holdingVideo)
        group.get(":short_id", use: show)
        group.patch(":short_id", use: update)
        group.delete(":short_id", use: delete)
    }

    /// The caller's playlists, newest first (beyond the original: "my playlists").
    @Sendable func mine(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistListBody {
        let list = try await playlists.playlists(of: context.identity.userID)
        return PlaylistListBody(playlists: list.map { PlaylistBody(playlist: $0) }, total: list.count)
    }

    @Sendable func byUser(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistListBody {
        let username = context.parameters.get("username") ?? ""
        guard let userID = try await playlists.user(named: username) else { throw APIError(.notFound, "User not found: \(username)") }
        let list = try await playlists.playlists(of: userID)
        return PlaylistListBody(playlists: list.map { PlaylistBody(playlist: $0) }, total: list.count)
    }

    /// The caller's playlists, each saying whether it holds the video.
    @Sendable func holdingVideo(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistListBody {
        let videoID = try context.parameters.uuid("video_id")
        let list = try await playlists.playlists(of: context.identity.userID, holding: videoID)
        return PlaylistListBody(playlists: list.map { PlaylistBody(playlist: $0.0, containsVideo: $0.1) }, total: list.count)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<PlaylistBody> {
        var request = request
        var fields = try await request.jsonFields()
        let name = Self.name(&fields, required: true)
        let description = Self.description(&fields)
        try fields.validate()
        let playlist = try await playlists.create(name: name ?? "", description: description ?? nil, by: context.identity)
        return EditedResponse(status: .created, response: PlaylistBody(playlist: playlist))
    }

    /// Every user reads every playlist, but only the videos they may see (Part A): the owner's
    /// own unprocessed videos stay out of a stranger's view.
    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistWithVideosBody {
        let playlist = try await find(context)
        let entries = try await playlists.entries(of: playlist.id).filter { $0.video.isVisible(to: context.identity) }
        return PlaylistWithVideosBody(playlist: playlist, entries: entries)
    }

    /// The owner only; `null` or an absent key leaves a field as it is.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistBody {
        var request = request
        var fields = try await request.jsonFields()
        let name = Self.name(&fields, required: false)
        let description = Self.description(&fields)
        try fields.validate()
        let playlist = try await owned(context)
        guard let updated = try await playlists.update(playlist.id, name: name, description: description) else {
            throw Self.notFound(playlist.shortID)
        }
        return PlaylistBody(playlist: updated)
    }

    /// The owner or an admin.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let playlist = try await find(context)
        guard playlist.createdBy == context.identity.userID || context.identity.isAdmin else {
            throw APIError(.forbidden, "You don't have permission to access this playlist")
        }
        try await playlists.delete(playlist)
        return Response(status: .noContent)
    }

    // MARK: - Finding the playlist and checking the caller

    static func notFound(_ shortID: String) -> APIError { APIError(.notFound, "Playlist not found: \(shortID)") }

    func find(_ context: AuthenticatedContext) async throws -> PlaylistRecord {
        let shortID = context.parameters.get("short_id") ?? ""
        guard let playlist = try await playlists.find(shortID: shortID) else { throw Self.notFound(shortID) }
        return playlist
    }

    /// The playlist, if the caller created it (admins included: only owners change playlists).
    func owned(_ context: AuthenticatedContext) async throws -> PlaylistRecord {
        let playlist = try await find(context)
        guard playlist.createdBy == context.identity.userID else {
            throw APIError(.forbidden, "You don't have permission to modify this playlist")
        }
        return playlist
    }

    private static func name(_ fields: inout FieldReader, required: Bool) -> String? {
        guard let raw = required ? fields.string("name") : fields.optionalString("name") else { return nil }
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        fields.checkLength("name", name, min: 1, max: 200)
        return name
    }

    /// Trimmed; nil when absent or null (left as it is), `.some(nil)` when empty (none).
    private static func description(_ fields: inout FieldReader) -> String?? {
        guard let raw = fields.optionalString("description") else { return nil }
        let description = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        fields.checkLength("description", description, max: 1000)
        return .some(description.isEmpty ? nil : description)
    }
}
