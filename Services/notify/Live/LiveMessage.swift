import Contracts
import Foundation
import ServiceKit

/// One Server-Sent Event of `GET /api/events`: an optional `id` (status events, for
/// `Last-Event-ID`), an event name and a JSON `data` line.
struct LiveMessage: Sendable, Equatable {
    var id: Int64?
    var name: String
    var data: String

    /// The event as it goes on the wire (the JSON has no line breaks, so one `data:` line).
    var frame: String {
        var text = ""
        if let id { text += "id: \(id)\n" }
        return text + "event: \(name)\ndata: \(data)\n\n"
    }

    /// A comment line that keeps proxies and clients from timing the stream out.
    static let heartbeat = ": keep-alive\n\n"

    /// The first frame: how long a client waits before reconnecting, and `ready`
    /// with the id the stream continues from.
    static func opening(lastEventID: Int64, retry: Duration) -> String {
        let ready = LiveMessage(name: "ready", data: #"{"last_event_id":\#(lastEventID)}"#)
        return "retry: \(Int((retry / .milliseconds(1)).rounded()))\n\n" + ready.frame
    }

    /// `video.progress`: a transcode or migration of one of the caller's videos moved on
    /// (transient: no id, not replayed).
    static func progress(_ progress: JobProgress) throws -> LiveMessage {
        let body = LiveProgressBody(
            videoID: progress.videoID, jobID: progress.jobID, kind: progress.kind, progress: progress.progress,
            processingStatus: progress.processingStatus)
        return LiveMessage(name: "video.progress", data: String(decoding: try EventCoding.encoder().encode(body), as: UTF8.self))
    }
}

/// The `data` of a `video.status` or `video.deleted` event.
struct LiveStatusBody: Codable, Sendable, Equatable {
    /// The media event it comes from (`media.video.processed`, …).
    var type: String
    var videoID: UUID
    var shortID: String?
    var title: String?
    /// `pending`, `processing`, `completed` or `failed`; nil once deleted.
    var processingStatus: String?
    var errorMessage: String?
    var durationSeconds: Int?
    var occurredAt: Date

    init(type: String, video: VideoSnapshot, occurredAt: Date) {
        self.type = type
        videoID = video.id
        shortID = video.shortID
        title = video.title
        processingStatus = video.processingStatus
        errorMessage = video.errorMessage
        durationSeconds = video.durationSeconds
        self.occurredAt = occurredAt
    }

    init(deleted videoID: UUID, occurredAt: Date) {
        type = VideoDeleted.eventType
        self.videoID = videoID
        self.occurredAt = occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case type, title
        case videoID = "video_id"
        case shortID = "short_id"
        case processingStatus = "processing_status"
        case errorMessage = "error_message"
        case durationSeconds = "duration_seconds"
        case occurredAt = "occurred_at"
    }

    /// Writes every key, nulls included, so clients see one shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(videoID.apiString, forKey: .videoID)
        try container.encode(shortID, forKey: .shortID)
        try container.encode(title, forKey: .title)
        try container.encode(processingStatus, forKey: .processingStatus)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(occurredAt, forKey: .occurredAt)
    }
}

/// The `data` of a `video.progress` event.
struct LiveProgressBody: Codable, Sendable, Equatable {
    var videoID: UUID
    var jobID: UUID
    /// `transcode` or `hls_migration`.
    var kind: String
    /// 0-100.
    var progress: Int
    /// The video's status meanwhile (`processing`; `completed` while a playing video is migrated).
    var processingStatus: String

    enum CodingKeys: String, CodingKey {
        case kind, progress
        case videoID = "video_id"
        case jobID = "job_id"
        case processingStatus = "processing_status"
    }

    /// Ids in lower case, as everywhere in the API.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(videoID.apiString, forKey: .videoID)
        try container.encode(jobID.apiString, forKey: .jobID)
        try container.encode(kind, forKey: .kind)
        try container.encode(progress, forKey: .progress)
        try container.encode(processingStatus, forKey: .processingStatus)
    }
}
