import Foundation

/// `media.video.created`: a video was uploaded (any status); counts toward its uploader's videos.
package struct VideoCreated: EventPayload, Equatable {
    package static let eventType = "media.video.created"
    package static let eventVersion = 1

    package var videoID: UUID
    package var uploadedBy: UUID

    package init(videoID: UUID, uploadedBy: UUID) {
        self.videoID = videoID
        self.uploadedBy = uploadedBy
    }

    enum CodingKeys: String, CodingKey {
        case videoID = "video_id"
        case uploadedBy = "uploaded_by"
    }
}

/// `media.video.deleted`: a video and its files are gone.
package struct VideoDeleted: EventPayload, Equatable {
    package static let eventType = "media.video.deleted"
    package static let eventVersion = 1

    package var videoID: UUID
    package var uploadedBy: UUID

    package init(videoID: UUID, uploadedBy: UUID) {
        self.videoID = videoID
        self.uploadedBy = uploadedBy
    }

    enum CodingKeys: String, CodingKey {
        case videoID = "video_id"
        case uploadedBy = "uploaded_by"
    }
}

/// `media.quota.changed`: a user's weekly upload counter, as absolute values
/// (so applying an older event after a newer one is detectable by `occurred_at`).
package struct QuotaChanged: EventPayload, Equatable {
    package static let eventType = "media.quota.changed"
    package static let eventVersion = 1

    package var userID: UUID
    package var weeklyUploadBytes: Int64
    package var lastUploadReset: Date

    package init(userID: UUID, weeklyUploadBytes: Int64, lastUploadReset: Date) {
        self.userID = userID
        self.weeklyUploadBytes = weeklyUploadBytes
        self.lastUploadReset = lastUploadReset
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case weeklyUploadBytes = "weekly_upload_bytes"
        case lastUploadReset = "last_upload_reset"
    }
}
