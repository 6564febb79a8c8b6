import HTTPTypes
import Testing

@testable import Gateway

/// Every public path of ARCHITECTURE §1 goes to its service with the right access.
@Suite struct RouteTableTests {
    @Test(arguments: [
        ("/api/auth/login", Upstream.auth, Access.open), ("/api/auth/me", .auth, .token),
        ("/api/users/", .auth, .token), ("/api/users", .auth, .token), ("/api/invitations/validate/x", .auth, .open),
        ("/api/invitations/", .auth, .token), ("/.well-known/jwks.json", .auth, .open), ("/media/avatars/a.webp", .auth, .open),
        ("/api/videos/", .media, .token), ("/api/videos/abc/stream", .media, .headerOrQueryToken),
        ("/api/videos/abc/hls/master.m3u8", .media, .headerOrQueryToken), ("/api/uploads/x", .media, .token),
        ("/api/config/", .media, .token), ("/hls/dir/seg.m4s", .media, .open), ("/media/thumbnails/t.jpg", .media, .open),
        ("/api/videos/123/comments", .social, .token), ("/api/videos/123/comment-markers", .social, .token),
        ("/api/categories/", .social, .token), ("/api/categories/x/image", .social, .open), ("/api/playlists/", .social, .token),
        ("/api/comments/1", .social, .token), ("/media/category-images/c.webp", .social, .open),
        ("/api/notifications/preferences", .notify, .token), ("/api/events", .notify, .headerOrQueryToken),
    ])
    func publicPathsGoToTheirService(path: String, upstream: Upstream, access: Access) {
        #expect(RouteTable.destination(method: .get, path: path) == Destination(upstream: upstream, access: access))
    }

    @Test func tusDiscoveryIsOpenAndTheRestOfUploadsNeedsAUser() {
        #expect(RouteTable.destination(method: .options, path: "/api/uploads/") == Destination(upstream: .media, access: .open))
        #expect(RouteTable.destination(method: .options, path: "/api/uploads/abc") == Destination(upstream: .media, access: .open))
        #expect(RouteTable.destination(method: .post, path: "/api/uploads/") == Destination(upstream: .media, access: .token))
        #expect(RouteTable.destination(method: .patch, path: "/api/uploads/abc") == Destination(upstream: .media, access: .token))
    }

    @Test(arguments: ["/api/nope", "/api", "/", "/internal/routes", "/openapi.json", "/api/users/../auth/me", "/.well-known/other", "/api/usersX"])
    func otherPathsGoNowhere(path: String) {
        #expect(RouteTable.destination(method: .get, path: path) == nil)
    }

    /// The metrics label of a proxied request names the resource, never an id.
    @Test(arguments: [
        ("/api/videos/4f9c/stream", "/api/videos/*"), ("/api/videos", "/api/videos/*"), ("/api/auth/login", "/api/auth/*"),
        ("/api/playlists/Ab12Cd34Ef/videos", "/api/playlists/*"), ("/media/avatars/u1.webp", "/media/avatars/*"),
        ("/media/category-images/c.webp", "/media/category-images/*"), ("/media/s/sig/123/videos/x/a.ts", "/media/*"),
        ("/media/random-4711/x", "/media/*"), ("/hls/a/b.m4s", "/hls/*"), ("/.well-known/jwks.json", "/.well-known/jwks.json"),
    ])
    func proxiedRequestsAreLabelledByResource(path: String, label: String) {
        #expect(RouteTable.metricsRoute(method: .get, path: path) == label)
    }

    @Test(arguments: ["/api/nope/1", "/v/Ab12Cd34Ef", "/", "/api/users/../auth/me"])
    func pathsNoServiceServesHaveNoProxyLabel(path: String) {
        #expect(RouteTable.metricsRoute(method: .get, path: path) == nil)
    }
}
