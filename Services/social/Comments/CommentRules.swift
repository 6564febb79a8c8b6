import Foundation
import Identity

/// Who may do what with a comment (API §3.7, §4.5), judged at `now`:
/// the author edits within 24 hours; the author, the video's uploader or an
/// admin deletes; a comment counts as edited when it changed more than a
/// minute after it was written.
struct CommentRules: Sendable {
    /// How long after writing it the author may edit a comment.
    static let editWindow: TimeInterval = 24 * 3600
    /// Changes within this long after writing do not count as an edit.
    static let editedAfter: TimeInterval = 60

    /// Where "now" comes from: the system clock, or a fixed one in tests.
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    func isWithinEditWindow(_ comment: CommentRecord) -> Bool {
        now().timeIntervalSince(comment.createdAt) < Self.editWindow
    }

    func canEdit(_ comment: CommentRecord, by caller: Identity) -> Bool {
        comment.userID == caller.userID && isWithinEditWindow(comment)
    }

    func canDelete(_ comment: CommentRecord, by caller: Identity, videoOwner: UUID) -> Bool {
        caller.isAdmin || comment.userID == caller.userID || videoOwner == caller.userID
    }

    static func isEdited(_ comment: CommentRecord) -> Bool {
        comment.updatedAt.timeIntervalSince(comment.createdAt) > editedAfter
    }
}
