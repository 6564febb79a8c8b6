import HTTPTypes

/// The public paths of ARCHITECTURE §1 and the service that answers each.
/// Matching is by path segments, so `/api/usersX` is not `/api/users`.
enum RouteTable {
    /// The destination of `path`, or nil when no service serves it (a 404).
    static func destination(method: HTTPRequest.Method, path: String) -> Destination? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // A dot segment could make the service see another path than the one judged here.
        guard !segments.contains(where: { $0 == "." || $0 == ".." }), let first = segments.first else { return nil }
        switch first {
        case ".well-known": return segments == [".well-known", "jwks.json"] ? Destination(upstream: .auth, access: .open) : nil
        case "media": return media(segments)
        case "hls": return Destination(upstream: .media, access: .open)
        case "api": return api(Array(segments.dropFirst()), method: method)
        default: return nil
        }
    }

    /// The `route` label of a proxied request in the gateway's metrics: the resource it goes to
    /// (`/api/videos/*`, `/media/avatars/*`, `/media/*`), never the raw path, so ids cannot grow
    /// the number of series; nil when no service serves the path.
    static func metricsRoute(method: HTTPRequest.Method, path: String) -> String? {
        guard destination(method: method, path: path) != nil else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch segments[0] {
        case "api": return "/api/\(segments.count > 1 ? segments[1] : "")/*"
        case "media":
            let known = ["avatars", "category-images"]
            return segments.count > 1 && known.contains(segments[1]) ? "/media/\(segments[1])/*" : "/media/*"
        case "hls": return "/hls/*"
        default: return "/" + segments.joined(separator: "/")  // /.well-known/jwks.json, the only other
        }
    }

    /// `/media/avatars/*` (auth), `/media/category-images/*` (social), the rest signed media files.
    private static func media(_ segments: [String]) -> Destination {
        switch segments.dropFirst().first {
        case "avatars": Destination(upstream: .auth, access: .open)
        case "category-images": Destination(upstream: .social, access: .open)
        default: Destination(upstream: .media, access: .open)
        }
    }

    private static func api(_ segments: [String], method: HTTPRequest.Method) -> Destination? {
        guard let resource = segments.first else { return nil }
        switch resource {
        case "auth":
            let open = ["login", "register", "refresh", "logout", "forgot-password", "verify-reset-token", "reset-password"]
            return Destination(upstream: .auth, access: segments.count == 2 && open.contains(segments[1]) ? .open : .token)
        case "users": return Destination(upstream: .auth, access: .token)
        case "invitations":
            return Destination(upstream: .auth, access: segments.dropFirst().first == "validate" ? .open : .token)
        case "videos": return videos(segments)
        // tus discovery (OPTIONS) is for anyone; everything else about uploads needs a user.
        case "uploads": return Destination(upstream: .media, access: method == .options ? .open : .token)
        case "config": return Destination(upstream: .media, access: .token)
        case "categories":
            let image = segments.count == 3 && segments[2] == "image" && method == .get
            return Destination(upstream: .social, access: image ? .open : .token)
        case "playlists", "comments": return Destination(upstream: .social, access: .token)
        case "notifications": return Destination(upstream: .notify, access: .token)
        case "events": return Destination(upstream: .notify, access: .headerOrQueryToken)
        default: return nil
        }
    }

    /// Comments of a video go to social; the streaming routes take `?token=`; the rest is media's.
    private static func videos(_ segments: [String]) -> Destination {
        if segments.count == 3, ["comments", "comment-markers"].contains(segments[2]) {
            return Destination(upstream: .social, access: .token)
        }
        let streaming: Set = ["stream", "hls", "stream-info", "thumbnail"]
        if segments.count >= 3, streaming.contains(segments[2]) {
            return Destination(upstream: .media, access: .headerOrQueryToken)
        }
        return Destination(upstream: .media, access: .token)
    }
}
