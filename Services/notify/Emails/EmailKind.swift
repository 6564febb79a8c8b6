/// The emails notify sends; the optional ones are the keys of the preferences.
enum EmailKind: String, CaseIterable, Sendable {
    case invitation, passwordReset = "password_reset", welcome
    case videoProcessed = "video_processed", videoFailed = "video_failed"
    case newComment = "new_comment", newReply = "new_reply"

    /// Whether a user may turn this kind off (invitations and resets always go).
    var isOptional: Bool { self != .invitation && self != .passwordReset }
}
