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

/// A category as media's read model keeps it (name and slug for video listings).
package struct CategorySnapshot: Codable, Sendable, Equatable {
    package var id: UUID
    package var name: String
    package var slug: String

    package init(id: UUID, name: String, slug: String) {
        self.id = id
        self.name = name
        self.slug = slug
    }
}

/// `social.category.created`.
package struct CategoryCreated: EventPayload, Equatable {
    package static let eventType = "social.category.created"
    package static let eventVersion = 1

    package var category: CategorySnapshot

    package init(category: CategorySnapshot) { self.category = category }
}

/// `social.category.updated`: its name (and so its slug) changed.
package struct CategoryUpdated: EventPayload, Equatable {
    package static let eventType = "social.category.updated"
    package static let eventVersion = 1

    package var category: CategorySnapshot

    package init(category: CategorySnapshot) { self.category = category }
}

/// `social.category.deleted`: its videos keep playing, without a category.
package struct CategoryDeleted: EventPayload, Equatable {
    package static let eventType = "social.category.deleted"
    package static let eventVersion = 1

    package var categoryID: UUID

    package init(categoryID: UUID) { self.categoryID = categoryID }

    enum CodingKeys: String, CodingKey {
        case categoryID = "category_id"
    }
}
