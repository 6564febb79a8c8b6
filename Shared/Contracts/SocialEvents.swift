import Foundation

/// `social.playlist.created`: counts toward its creator's playlists.
package struct PlaylistCreated: EventPayload, Equatable {
    package static let eventType = "social.playlist.created"
    package static let eventVersion = 1

    package var playlistID: UUID
    package var createdBy: UUID

    package init(playlistID: UUID, createdBy: UUID) {
        self.playlistID = playlistID
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case playlistID = "playlist_id"
        case createdBy = "created_by"
    }
}

/// `social.playlist.deleted`: the playlist no longer counts.
package struct PlaylistDeleted: EventPayload, Equatable {
    package static let eventType = "social.playlist.deleted"
    package static let eventVersion = 1

    package var playlistID: UUID
    package var createdBy: UUID

    package init(playlistID: UUID, createdBy: UUID) {
        self.playlistID = playlistID
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case playlistID = "playlist_id"
        case createdBy = "created_by"
    }
}
