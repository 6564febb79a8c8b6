import Foundation
import Hummingbird
import Identity
import PostgresNIO
import ServiceKit

/// The videos of a playlist (API §3.6): add one or several, remove one, reorder.
/// Only the playlist's owner changes them; positions stay 0..n-1.
struct PlaylistEntriesController: Sendable {
    let playlists: PlaylistRepository
    let finder: PlaylistsController

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post(":short_id/videos", use: add)
        group.post(":short_id/videos/batch", use: addBatch)
        group.delete(":short_id/videos/:video_id", use: remove)
        group.patch(":short_id/reorder", use: reorder)
    }

    /// Appends the video, or inserts it at `position` (0...count) moving the later ones down.
    @Sendable func add(_ request: Request, context: AuthenticatedContext) async throws -> PlaylistEntryBody {
        var request = request
        var fields = try await request.jsonFields()
        let videoText = fields.string("video_id")
        let position = fields.optionalInt("position")
        fields.checkRange("position", position, min: 0)
        let videoID = videoText.flatMap(UUID.init(uuidString:))
        if videoText != nil, videoID == nil { fields.report("video_id", "Input should be a valid UUID", type: "uuid_parsing") }
        try fields.validate()
        let playlist = try await finder.owned(context)
        guard let videoID, try await !playlists.visibleVideos([videoID], to: context.identity).isEmpty else {
            throw APIError(.notFound, "Video not found: \(videoText ?? "")")
        }
        let caller = context.identity.userID
        let entry = try await playlists.changingEntries(of: playlist.id, adding: [videoID]) { [playlists] connection, order in
            guard !order.contains(videoID) else { throw APIError(.badRequest, "Video already in playlist") }
            if let position, position > order.count {
                throw APIError(validation: [.init(
                    loc: ["body", "position"], msg: "Input should be less than or equal to \(order.count)",
                    type: "less_than_equal", input: .int(Int64(position)))])
            }
            let id = try await playlists.insert(videoID, at: position ?? order.count, into: playlist.id, by: caller, on: connection)
            // Read in the transaction, while the video is share-locked: the answer cannot miss it.
            return try await playlists.entries(ids: [id], on: connection).first
        }
        guard let entry = entry ?? nil else { throw PlaylistsController.notFound(playlist.shortID) }
        return PlaylistEntryBody(entry: entry)
    }

    /// Appends the videos in the order given (at most ``maxBatch``), skipping those already
    /// there; all or nothing.
    @Sendable func addBatch(_ request: Request, context: AuthenticatedContext) async throws -> [PlaylistEntryBody] {
        var request = request
        let fields = try await request.jsonFields()
        let texts = try Self.videoIDs(fields)
        let playlist = try await finder.owned(context)
        var ids: [UUID] = [], seen = Set<UUID>()
        for text in texts {
            guard let id = UUID(uuidString: text), seen.insert(id).inserted else { continue }
            ids.append(id)
        }
        let visible = try await playlists.visibleVideos(ids, to: context.identity)
        let missing = texts.filter { UUID(uuidString: $0).map { !visible.contains($0) } ?? true }
        guard missing.isEmpty else { throw APIError(.notFound, "Videos not found: \(missing.joined(separator: ", "))") }
        let caller = context.identity.userID, wanted = ids
        let added = try await playlists.changingEntries(of: playlist.id, adding: wanted) { [playlists] connection, order in
            let present = Set(order)
            var added: [UUID] = []
            var end = order.count
            for id in wanted where !present.contains(id) {
                added.append(try await playlists.insert(id, at: end, into: playlist.id, by: caller, on: connection))
                end += 1
            }
            return try await playlists.entries(ids: added, on: connection)
        }
        guard let added else { throw PlaylistsController.notFound(playlist.shortID) }
        return added.map(PlaylistEntryBody.init)
    }

    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let videoID = try context.parameters.uuid("video_id")
        let playlist = try await finder.owned(context)
        let notInPlaylist = APIError(.notFound, "Video not found in playlist")
        let logger = playlists.logger
        let removed = try await playlists.changingEntries(of: playlist.id) { connection, _ in
            try await !connection.query("""
                DELETE FROM social.playlist_entries WHERE playlist_id = \(playlist.id) AND video_id = \(videoID) RETURNING id
                """, logger: logger).collect().isEmpty
        }
        guard let removed else { throw PlaylistsController.notFound(playlist.shortID) }
        guard removed else { throw notInPlaylist }
        return Response(status: .noContent)
    }

    /// Moves the listed videos to their positions; see ``ReorderPlan``.
    @Sendable func reorder(_ request: Request, context: AuthenticatedContext) async throws -> MessageBody {
        var request = request
        let moves = try Self.moves(try await request.jsonFields())
        let playlist = try await finder.owned(context)
        let logger = playlists.logger
        let done = try await playlists.changingEntries(of: playlist.id) { connection, order in
            let plan = try ReorderPlan(current: order, moves: moves)
            try await PlaylistPositions.store(plan.order, in: playlist.id, on: connection, logger: logger)
            return true
        }
        guard done == true else { throw PlaylistsController.notFound(playlist.shortID) }
        return MessageBody(message: "Playlist reordered successfully")
    }

    // MARK: - Reading the bodies

    /// The most videos one batch may add.
    static let maxBatch = 500

    /// `video_ids`: a list of 1...``maxBatch`` strings.
    private static func videoIDs(_ fields: FieldReader) throws -> [String] {
        guard case .array(let items)? = fields.values["video_ids"] else {
            let missing = fields.values["video_ids"] == nil || fields.values["video_ids"] == .null
            throw APIError(validation: [.init(
                loc: ["body", "video_ids"], msg: missing ? "Field required" : "Input should be a valid list",
                type: missing ? "missing" : "list_type", input: fields.values["video_ids"])])
        }
        guard !items.isEmpty else {
            throw APIError(validation: [.init(
                loc: ["body", "video_ids"], msg: "List should have at least 1 item after validation, not 0",
                type: "too_short", input: .array([]))])
        }
        guard items.count <= maxBatch else {
            throw APIError(validation: [.init(
                loc: ["body", "video_ids"], msg: "List should have at most \(maxBatch) items after validation, not \(items.count)",
                type: "too_long")])
        }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else {
                throw APIError(validation: [.init(
                    loc: ["body", "video_ids", "\(index)"], msg: "Input should be a valid string", type: "string_type", input: item)])
            }
            return text
        }
    }

    /// `video_positions`: `{video_id, position}` objects; one without both is the original's 400.
    private static func moves(_ fields: FieldReader) throws -> [ReorderPlan.Move] {
        guard case .array(let items)? = fields.values["video_positions"] else {
            let missing = fields.values["video_positions"] == nil || fields.values["video_positions"] == .null
            throw APIError(validation: [.init(
                loc: ["body", "video_positions"], msg: missing ? "Field required" : "Input should be a valid list",
                type: missing ? "missing" : "list_type", input: fields.values["video_positions"])])
        }
        return try items.map { item in
            guard case .object(let object) = item, let idValue = object["video_id"], let positionValue = object["position"],
                  idValue != .null, positionValue != .null else {
                throw APIError(.badRequest, "Each item must have video_id and position")
            }
            var reader = FieldReader(location: "body", values: ["video_id": idValue, "position": positionValue])
            let text = reader.string("video_id")
            let position = reader.int("position")
            guard let text, let position else { try reader.validate(); throw APIError(.badRequest, "Each item must have video_id and position") }
            guard let id = UUID(uuidString: text) else { throw APIError(.notFound, "Video \(text) not found in playlist") }
            return ReorderPlan.Move(videoID: id, position: position)
        }
    }
}

/// `{"message": "..."}`.
struct MessageBody: ResponseEncodable {
    let message: String
}
