import Foundation

/// `media.video.created`: a video was uploaded (any status); counts toward its uploader's videos.
package struct VideoCreated: EventPayload, Equatable {
    package static let eventType = "media.video.created"
    package static let eventVersion = 1

    package var videoID: UUID
    package var uploadedBy: UUID
    /// The new video, for read models (absent in events of the first producer's tests).
    package var video: VideoSnapshot?

    package init(videoID: UUID, uploadedBy: UUID, video: VideoSnapshot? = nil) {
        self.videoID = videoID
        self.uploadedBy = uploadedBy
        self.video = video
    }

    enum CodingKeys: String, CodingKey {
        case video
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

/// What the other services keep of a video: enough for social's visibility
/// rules and listings, auth's counts and notify's messages.
package struct VideoSnapshot: Codable, Sendable, Equatable {
    package var id: UUID
    package var shortID: String
    package var title: String
    package var uploadedBy: UUID
    package var categoryID: UUID?
    package var processingStatus: String
    package var thumbnailFilename: String?
    package var durationSeconds: Int?
    package var errorMessage: String?
    package var createdAt: Date
    /// The rest of the API's `Video` shape, for playlists that embed videos (absent in older events).
    package var details: VideoDetails?

    package init(
        id: UUID, shortID: String, title: String, uploadedBy: UUID, categoryID: UUID?, processingStatus: String,
        thumbnailFilename: String?, durationSeconds: Int?, errorMessage: String?, createdAt: Date,
        details: VideoDetails? = nil
    ) {
        self.id = id
        self.shortID = shortID
        self.title = title
        self.uploadedBy = uploadedBy
        self.categoryID = categoryID
        self.processingStatus = processingStatus
        self.thumbnailFilename = thumbnailFilename
        self.durationSeconds = durationSeconds
        self.errorMessage = errorMessage
        self.createdAt = createdAt
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case id, title, details
        case shortID = "short_id"
        case uploadedBy = "uploaded_by"
        case categoryID = "category_id"
        case processingStatus = "processing_status"
        case thumbnailFilename = "thumbnail_filename"
        case durationSeconds = "duration_seconds"
        case errorMessage = "error_message"
        case createdAt = "created_at"
    }
}

/// The fields of a video that only its listings show (API §2 `Video`).
package struct VideoDetails: Codable, Sendable, Equatable {
    package var description: String?
    package var filename: String
    package var originalFilename: String
    package var storagePath: String?
    package var fileSizeBytes: Int64
    package var viewCount: Int64

    package init(
        description: String?, filename: String, originalFilename: String, storagePath: String?, fileSizeBytes: Int64,
        viewCount: Int64
    ) {
        self.description = description
        self.filename = filename
        self.originalFilename = originalFilename
        self.storagePath = storagePath
        self.fileSizeBytes = fileSizeBytes
        self.viewCount = viewCount
    }

    enum CodingKeys: String, CodingKey {
        case description, filename
        case originalFilename = "original_filename"
        case storagePath = "storage_path"
        case fileSizeBytes = "file_size_bytes"
        case viewCount = "view_count"
    }
}

/// `media.video.updated`: title, description or category changed (or its status, for read models).
package struct VideoUpdated: EventPayload, Equatable {
    package static let eventType = "media.video.updated"
    package static let eventVersion = 1

    package var video: VideoSnapshot

    package init(video: VideoSnapshot) { self.video = video }
}

/// `media.video.processed`: a video is ready to play.
package struct VideoProcessed: EventPayload, Equatable {
    package static let eventType = "media.video.processed"
    package static let eventVersion = 1

    package var video: VideoSnapshot

    package init(video: VideoSnapshot) { self.video = video }
}

/// `media.video.failed`: a video could not be processed; `error_message` says why.
package struct VideoFailed: EventPayload, Equatable {
    package static let eventType = "media.video.failed"
    package static let eventVersion = 1

    package var video: VideoSnapshot

    package init(video: VideoSnapshot) { self.video = video }
}

/// `media.job.requested`: a job row was written; a worker should claim it. Routed to
/// the `media.jobs` queue; the row, not the message, is the truth (leases, attempts).
package struct JobRequested: EventPayload, Equatable {
    package static let eventType = "media.job.requested"
    package static let eventVersion = 1

    package var jobID: UUID
    package var kind: String
    package var videoID: UUID

    package init(jobID: UUID, kind: String, videoID: UUID) {
        self.jobID = jobID
        self.kind = kind
        self.videoID = videoID
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case jobID = "job_id"
        case videoID = "video_id"
    }
}

/// `media.job.progress`: how far a worker got with a video (transient: published directly,
/// never through the outbox, so a lost one is simply superseded by the next).
package struct JobProgress: EventPayload, Equatable {
    package static let eventType = "media.job.progress"
    package static let eventVersion = 1

    package var jobID: UUID
    package var kind: String
    package var videoID: UUID
    package var uploadedBy: UUID
    /// 0-100.
    package var progress: Int
    /// The video's processing status while the job runs (`processing`, or `completed` for a migration).
    package var processingStatus: String

    package init(jobID: UUID, kind: String, videoID: UUID, uploadedBy: UUID, progress: Int, processingStatus: String) {
        self.jobID = jobID
        self.kind = kind
        self.videoID = videoID
        self.uploadedBy = uploadedBy
        self.progress = progress
        self.processingStatus = processingStatus
    }

    enum CodingKeys: String, CodingKey {
        case kind, progress
        case jobID = "job_id"
        case videoID = "video_id"
        case uploadedBy = "uploaded_by"
        case processingStatus = "processing_status"
    }
}

/// `media.video.views`: the view counts of the videos whose views a flush just added
/// (one event per batch, so read models' counts follow without an event per view).
package struct VideoViewsCounted: EventPayload, Equatable {
    package static let eventType = "media.video.views"
    package static let eventVersion = 1

    /// One video's count after the batch.
    package struct Count: Codable, Sendable, Equatable {
        package var videoID: UUID
        package var viewCount: Int64

        package init(videoID: UUID, viewCount: Int64) {
            self.videoID = videoID
            self.viewCount = viewCount
        }

        enum CodingKeys: String, CodingKey {
            case videoID = "video_id"
            case viewCount = "view_count"
        }
    }

    package var counts: [Count]

    package init(counts: [Count]) { self.counts = counts }
}
