import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceKit
import Testing

@testable import Identity

/// Routes behind ``AuthenticatedContext`` and ``AdminContext`` answer the
/// original's 401 and 403 and see the caller's identity otherwise.
@Suite struct AuthenticatedContextTests {
    struct Whoami: ResponseEncodable { let username: String; let role: String }

    func app(keys: TestKeys, deactivated: Set<UUID> = []) async throws -> some ApplicationProtocol {
        let users = DeactivatedUsers(logger: Logger(label: "test")) { deactivated }
        try await users.refresh()
        let router = Router(context: ClipsetRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.middlewares.add(AuthenticationMiddleware(verifier: TokenVerifier(settings: TokenSettings(), source: keys.ring), deactivated: users))
        router.get("public") { _, context -> String in
            if case .authenticated = context.authentication { return "signed in" }
            return "anonymous"
        }
        router.group("me", context: AuthenticatedContext.self).get { _, context in
            Whoami(username: context.identity.username, role: context.identity.role.rawValue)
        }
        router.group("admin", context: AdminContext.self).get { _, context in
            Whoami(username: context.identity.username, role: context.identity.role.rawValue)
        }
        return Application(router: router)
    }

    func token(_ keys: TestKeys, _ identity: Identity) async throws -> String {
        try await keys.ring.sign(AccessClaims(identity: identity, settings: TokenSettings(), lifetime: 60))
    }

    func detail(_ response: TestResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["detail"] as? String
    }

    @Test func protectedRoutesNeedAValidTokenOfAnActiveUser() async throws {
        let keys = try await TestKeys()
        let alice = Identity(userID: UUID(), username: "alice", role: .user, tokenID: "t1")
        let bob = Identity(userID: UUID(), username: "bob", role: .user, tokenID: "t2")
        let aliceToken = try await token(keys, alice)
        let bobToken = try await token(keys, bob)
        try await app(keys: keys, deactivated: [bob.userID]).test(.router) { client in
            try await client.execute(uri: "/me", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(detail(response) == "Not authenticated")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer nonsense"]) { response in
                #expect(response.status == .unauthorized)
                #expect(detail(response) == "Could not validate credentials")
            }
            try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(aliceToken)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"alice\""))
            }
            try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(bobToken)"]) { response in
                #expect(response.status == .forbidden)
                #expect(detail(response) == "Inactive user")
            }
            // A public route ignores a bad token.
            try await client.execute(uri: "/public", method: .get, headers: [.authorization: "Bearer nonsense"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "anonymous")
            }
        }
    }

    @Test func adminRoutesRefuseUsers() async throws {
        let keys = try await TestKeys()
        let user = try await token(keys, Identity(userID: UUID(), username: "carol", role: .user, tokenID: "t"))
        let admin = try await token(keys, Identity(userID: UUID(), username: "root", role: .admin, tokenID: "t"))
        try await app(keys: keys).test(.router) { client in
            try await client.execute(uri: "/admin", method: .get, headers: [.authorization: "Bearer \(user)"]) { response in
                #expect(response.status == .forbidden)
                #expect(detail(response) == "Not enough permissions. Admin access required.")
            }
            try await client.execute(uri: "/admin", method: .get, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theClientAddressIsTheNearestUntrustedHop() {
        let resolver = ClientAddressResolver(trusted: ["127.0.0.1", "10.0.0.2"])
        func request(_ fields: HTTPFields = [:]) -> Request {
            Request(head: .init(method: .get, scheme: "http", authority: "x", path: "/", headerFields: fields), body: .init(buffer: .init()))
        }
        let proxy = try? SocketAddress(ipAddress: "127.0.0.1", port: 1)
        let stranger = try? SocketAddress(ipAddress: "203.0.113.9", port: 1)
        #expect(resolver.address(of: request(), peer: proxy) == "127.0.0.1")
        let forwarded = request([.xForwardedFor: "198.51.100.7, 10.0.0.2"])
        #expect(resolver.address(of: forwarded, peer: proxy) == "198.51.100.7")
        #expect(resolver.address(of: forwarded, peer: stranger) == "203.0.113.9", "only a trusted peer may name the client")
    }
}
