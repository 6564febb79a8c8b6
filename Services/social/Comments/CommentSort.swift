/// The orders of a comment list (API §3.7); anything else is a 422.
enum CommentSort: String, CaseIterable, Sendable {
    case newest, oldest, timestamp

    /// The ORDER BY of top-level comments, `c` being `social.comments`.
    var orderBy: String {
        switch self {
        case .newest: "c.created_at DESC, c.id"
        case .oldest: "c.created_at ASC, c.id"
        case .timestamp: "c.timestamp_seconds ASC NULLS LAST, c.created_at DESC, c.id"
        }
    }
}
