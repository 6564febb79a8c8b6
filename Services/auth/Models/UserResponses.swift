import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The user shapes of the original API (§2): the admin list's `UserResponse`,
/// the own profile's `UserWithQuota`, someone else's `UserProfile` and a
/// directory entry. Optional fields are always present, as `null` when empty.
enum UserShape: String {
    case response, withQuota, profile, directory
}

/// One user rendered in one of the ``UserShape``s.
struct UserBody: ResponseEncodable {
    let user: UserRecord
    let shape: UserShape

    enum Keys: String, CodingKey {
        case id, email, username, role
        case createdAt = "created_at", isActive = "is_active", videoCount = "video_count"
        case playlistCount = "playlist_count", avatarURL = "avatar_url"
        case weeklyUploadBytes = "weekly_upload_bytes", lastUploadReset = "last_upload_reset"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(user.id.apiString, forKey: .id)
        try c.encode(user.username, forKey: .username)
        try c.encode(user.videoCount, forKey: .videoCount)
        try c.encode(user.playlistCount, forKey: .playlistCount)
        try c.encode(user.avatarURL, forKey: .avatarURL)
        if shape != .directory {
            try c.encode(user.createdAt, forKey: .createdAt)
        }
        if shape == .response || shape == .withQuota {
            try c.encode(user.email, forKey: .email)
            try c.encode(user.role.rawValue, forKey: .role)
            try c.encode(user.isActive, forKey: .isActive)
        }
        if shape == .withQuota {
            try c.encode(user.weeklyUploadBytes, forKey: .weeklyUploadBytes)
            try c.encode(user.lastUploadReset, forKey: .lastUploadReset)
        }
    }
}

/// `{"message": ...}`, the original's reply to actions.
struct MessageBody: ResponseEncodable {
    let message: String
}
