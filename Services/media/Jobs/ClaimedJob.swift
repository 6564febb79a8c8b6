import Foundation

/// The kinds of work in `media.jobs`.
enum JobKind: String, Sendable {
    /// An upload becomes its ladder, progressive file, thumbnail and storyboard.
    case transcode
    /// Only the thumbnail and storyboard are made again.
    case thumbnail
    /// A video stored progressive gets its HLS ladder.
    case hlsMigration = "hls_migration"
}

/// A job a worker holds the lease of.
struct ClaimedJob: Sendable {
    let id: UUID
    let kind: JobKind
    let videoID: UUID
    /// This attempt's number, from 1.
    let attempt: Int
    let maxAttempts: Int
    /// The worker holding the lease.
    let owner: String

    /// Whether a failure of this attempt ends the job (`dead`) instead of queueing it again.
    var isLastAttempt: Bool { attempt >= maxAttempts }
}
