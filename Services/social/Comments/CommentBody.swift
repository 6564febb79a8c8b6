import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The API's `Comment` shape (§2) as `caller` sees it (`can_edit`, `can_delete`).
struct CommentBody: ResponseEncodable {
    let comment: CommentRecord
    let caller: Identity
    let videoOwner: UUID
    let rules: CommentRules

    enum Keys: String, CodingKey {
        case id, content, replies
        case videoID = "video_id", timestampSeconds = "timestamp_seconds", parentID = "parent_id", userID = "user_id"
        case authorUsername = "author_username", authorAvatarURL = "author_avatar_url", createdAt = "created_at"
        case updatedAt = "updated_at", isEdited = "is_edited", canEdit = "can_edit", canDelete = "can_delete"
        case replyCount = "reply_count"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(comment.id.apiString, forKey: .id)
        try c.encode(comment.videoID.apiString, forKey: .videoID)
        try c.encode(comment.content, forKey: .content)
        try c.encode(comment.timestampSeconds, forKey: .timestampSeconds)
        try c.encode(comment.parentID?.apiString, forKey: .parentID)
        try c.encode(comment.userID.apiString, forKey: .userID)
        try c.encode(comment.authorUsername, forKey: .authorUsername)
        try c.encode(comment.authorAvatarURL, forKey: .authorAvatarURL)
        try c.encode(comment.createdAt, forKey: .createdAt)
        try c.encode(comment.updatedAt, forKey: .updatedAt)
        try c.encode(CommentRules.isEdited(comment), forKey: .isEdited)
        try c.encode(rules.canEdit(comment, by: caller), forKey: .canEdit)
        try c.encode(rules.canDelete(comment, by: caller, videoOwner: videoOwner), forKey: .canDelete)
        try c.encode(comment.replyCount, forKey: .replyCount)
        let replies = comment.replies.flatMap { $0.isEmpty ? nil : $0 }
        try c.encode(replies?.map { CommentBody(comment: $0, caller: caller, videoOwner: videoOwner, rules: rules) }, forKey: .replies)
    }
}

/// `{"comments": [...], "total": n, "has_more": bool}` (`total` counts top-level comments).
struct CommentListBody: ResponseEncodable {
    let comments: [CommentBody]
    let total: Int
    let hasMore: Bool

    enum CodingKeys: String, CodingKey { case comments, total, hasMore = "has_more" }
}

/// `{"seconds": s, "count": n}`.
struct CommentMarkerBody: ResponseEncodable {
    let seconds: Int
    let count: Int
}
