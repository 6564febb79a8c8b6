import Foundation

/// An original Clipset's data as `scripts/lib/clipset_export.py` writes it
/// (`clipset-export/1`): one array per table, ids as lower-case UUIDs, times in RFC 3339.
/// Each service's `import` reads the tables it owns.
package struct ImportDocument: Decodable, Sendable {
    package var format: String
    package var users: [User]
    package var invitations: [Invitation]
    package var categories: [Category]
    package var videos: [Video]
    package var playlists: [Playlist]
    package var playlistVideos: [PlaylistVideo]
    package var comments: [Comment]

    enum CodingKeys: String, CodingKey {
        case format, users, invitations, categories, videos, playlists, comments
        case playlistVideos = "playlist_videos"
    }

    /// A source account.
    package struct User: Decodable, Sendable {
        package var id: UUID
        package var email: String
        package var username: String
        package var passwordHash: String
        package var role: String
        package var isActive: Bool
        package var createdAt: Date
        package var avatarFilename: String?
        package var weeklyUploadBytes: Int64
        package var lastUploadReset: Date?

        enum CodingKeys: String, CodingKey {
            case id, email, username, role
            case passwordHash = "password_hash"
            case isActive = "is_active"
            case createdAt = "created_at"
            case avatarFilename = "avatar_filename"
            case weeklyUploadBytes = "weekly_upload_bytes"
            case lastUploadReset = "last_upload_reset"
        }
    }

    /// A source invitation.
    package struct Invitation: Decodable, Sendable {
        package var id: UUID
        package var email: String
        package var token: String
        package var createdBy: UUID
        package var createdAt: Date
        package var expiresAt: Date
        package var used: Bool
        package var usedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, email, token, used
            case createdBy = "created_by"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case usedAt = "used_at"
        }
    }

    /// A source category.
    package struct Category: Decodable, Sendable {
        package var id: UUID
        package var name: String
        package var slug: String
        package var description: String?
        package var imageFilename: String?
        package var createdBy: UUID
        package var createdAt: Date
        package var updatedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, slug, description
            case imageFilename = "image_filename"
            case createdBy = "created_by"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    /// A source video.
    package struct Video: Decodable, Sendable {
        package var id: UUID
        package var shortID: String
        package var title: String
        package var description: String?
        package var filename: String
        package var thumbnailFilename: String?
        package var originalFilename: String
        package var storagePath: String?
        package var fileSizeBytes: Int64
        package var durationSeconds: Int?
        package var uploadedBy: UUID
        package var categoryID: UUID?
        package var viewCount: Int64
        package var processingStatus: String
        package var errorMessage: String?
        package var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, title, description, filename
            case shortID = "short_id"
            case thumbnailFilename = "thumbnail_filename"
            case originalFilename = "original_filename"
            case storagePath = "storage_path"
            case fileSizeBytes = "file_size_bytes"
            case durationSeconds = "duration_seconds"
            case uploadedBy = "uploaded_by"
            case categoryID = "category_id"
            case viewCount = "view_count"
            case processingStatus = "processing_status"
            case errorMessage = "error_message"
            case createdAt = "created_at"
        }
    }

    /// A source playlist.
    package struct Playlist: Decodable, Sendable {
        package var id: UUID
        package var shortID: String
        package var name: String
        package var description: String?
        package var createdBy: UUID
        package var createdAt: Date
        package var updatedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, description
            case shortID = "short_id"
            case createdBy = "created_by"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    /// A video's place in a source playlist.
    package struct PlaylistVideo: Decodable, Sendable {
        package var id: UUID
        package var playlistID: UUID
        package var videoID: UUID
        package var position: Int
        package var addedAt: Date
        package var addedBy: UUID?

        enum CodingKeys: String, CodingKey {
            case id, position
            case playlistID = "playlist_id"
            case videoID = "video_id"
            case addedAt = "added_at"
            case addedBy = "added_by"
        }
    }

    /// A source comment or reply.
    package struct Comment: Decodable, Sendable {
        package var id: UUID
        package var videoID: UUID
        package var userID: UUID
        package var content: String
        package var timestampSeconds: Int?
        package var parentID: UUID?
        package var createdAt: Date
        package var updatedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, content
            case videoID = "video_id"
            case userID = "user_id"
            case timestampSeconds = "timestamp_seconds"
            case parentID = "parent_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }
}
