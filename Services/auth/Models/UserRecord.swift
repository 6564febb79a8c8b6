import Foundation
import Identity
import PostgresNIO

/// A user as auth stores it, with the counts and quota of its read models.
struct UserRecord: Sendable {
    var id: UUID
    var email: String
    var username: String
    var passwordHash: String
    var role: Role
    var isActive: Bool
    var avatarFilename: String?
    var createdAt: Date
    var videoCount: Int
    var playlistCount: Int
    var weeklyUploadBytes: Int64
    var lastUploadReset: Date

    /// The columns every user query selects, in the order of ``init(row:)``.
    static let select = """
        SELECT u.id, u.email, u.username, u.password_hash, u.role, u.is_active, u.avatar_filename, u.created_at,
            (SELECT count(*) FROM auth.user_videos v WHERE v.user_id = u.id AND NOT v.deleted),
            (SELECT count(*) FROM auth.user_playlists p WHERE p.user_id = u.id AND NOT p.deleted),
            COALESCE(q.weekly_upload_bytes, 0), COALESCE(q.last_upload_reset, u.created_at)
        FROM auth.users u LEFT JOIN auth.user_quotas q ON q.user_id = u.id
        """

    init(row: PostgresRow) throws {
        let (id, email, username, hash, role, active, avatar, created, videos, playlists, bytes, reset) = try row.decode(
            (UUID, String, String, String, String, Bool, String?, Date, Int64, Int64, Int64, Date).self)
        self.id = id
        self.email = email
        self.username = username
        self.passwordHash = hash
        self.role = Role(rawValue: role) ?? .user
        self.isActive = active
        self.avatarFilename = avatar
        self.createdAt = created
        self.videoCount = Int(videos)
        self.playlistCount = Int(playlists)
        self.weeklyUploadBytes = bytes
        self.lastUploadReset = reset
    }

    /// `/media/avatars/<file>` or nil.
    var avatarURL: String? { avatarFilename.map { "/media/avatars/\($0)" } }

    var identity: Identity { Identity(userID: id, username: username, role: role, tokenID: "") }
}
