/// The services behind the gateway.
enum Upstream: String, CaseIterable, Sendable {
    case auth, media, social, notify

    var defaultPort: Int {
        switch self {
        case .auth: 8081
        case .media: 8082
        case .social: 8083
        case .notify: 8084
        }
    }
}

/// Who may call a route at the edge.
enum Access: Sendable, Equatable {
    /// Anyone (login, JWKS, signed media URLs, …).
    case open
    /// A valid bearer token.
    case token
    /// A valid token in the header or in `?token=` (streaming routes for `<video>` and hls.js).
    case headerOrQueryToken
}

/// Where a public path goes and who may call it.
struct Destination: Sendable, Equatable {
    var upstream: Upstream
    var access: Access
}
