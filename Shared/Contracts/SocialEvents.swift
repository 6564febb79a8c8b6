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

/// `social.comment.created`: what notify needs to tell the video's owner and,
/// for a reply, the parent comment's author.
package struct CommentCreated: EventPayload, Equatable {
    package static let eventType = "social.comment.created"
    package static let eventVersion = 1

    package var commentID: UUID
    package var videoID: UUID
    package var videoShortID: String
    package var videoTitle: String
    package var videoOwnerID: UUID
    package var authorID: UUID
    package var authorUsername: String
    package var content: String
    package var timestampSeconds: Int?
    package var parentID: UUID?
    package var parentAuthorID: UUID?

    package init(
        commentID: UUID, videoID: UUID, videoShortID: String, videoTitle: String, videoOwnerID: UUID, authorID: UUID,
        authorUsername: String, content: String, timestampSeconds: Int?, parentID: UUID?, parentAuthorID: UUID?
    ) {
        self.commentID = commentID
        self.videoID = videoID
        self.videoShortID = videoShortID
        self.videoTitle = videoTitle
        self.videoOwnerID = videoOwnerID
        self.authorID = authorID
        self.authorUsername = authorUsername
        self.content = content
        self.timestampSeconds = timestampSeconds
        self.parentID = parentID
        self.parentAuthorID = parentAuthorID
    }

    enum CodingKeys: String, CodingKey {
        case content
        case commentID = "comment_id"
        case videoID = "video_id"
        case videoShortID = "video_short_id"
        case videoTitle = "video_title"
        case videoOwnerID = "video_owner_id"
        case authorID = "author_id"
        case authorUsername = "author_username"
        case timestampSeconds = "timestamp_seconds"
        case parentID = "parent_id"
        case parentAuthorID = "parent_author_id"
    }

    /// Every key present, `null` included, so a consumer tells "no parent" from an old payload.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(commentID, forKey: .commentID)
        try c.encode(videoID, forKey: .videoID)
        try c.encode(videoShortID, forKey: .videoShortID)
        try c.encode(videoTitle, forKey: .videoTitle)
        try c.encode(videoOwnerID, forKey: .videoOwnerID)
        try c.encode(authorID, forKey: .authorID)
        try c.encode(authorUsername, forKey: .authorUsername)
        try c.encode(content, forKey: .content)
        try c.encode(timestampSeconds, forKey: .timestampSeconds)
        try c.encode(parentID, forKey: .parentID)
        try c.encode(parentAuthorID, forKey: .parentAuthorID)
    }
}
