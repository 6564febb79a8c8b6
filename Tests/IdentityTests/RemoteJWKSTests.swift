import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import Identity

/// Services verify with keys fetched from auth's JWKS: cached, fetched again
/// for a new `kid` (key rotation), but not for every forged one.
@Suite struct RemoteJWKSTests {
    /// A JWKS endpoint whose document can change, counting requests.
    final class Publisher: Sendable {
        let document: Mutex<JWKSDocument>
        let fetches = Mutex(0)
        init(_ document: JWKSDocument) { self.document = Mutex(document) }
    }

    func serve(_ publisher: Publisher, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("jwks") { _, _ -> Response in
            publisher.fetches.withLock { $0 += 1 }
            let data = try JSONEncoder().encode(publisher.document.withLock { $0 })
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: data)))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            .test(.live) { client in
                try await body("http://127.0.0.1:\(client.port!)/jwks")
            }
    }

    @Test func aRotatedInKeyIsFetchedOnItsFirstTokenAndForgedKidsDoNotFlood() async throws {
        let old = try await TestKeys(kids: ["old"])
        let both = try await TestKeys(kids: ["old", "new"], active: "new")
        let publisher = Publisher(old.ring.jwks)
        try await serve(publisher) { url in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let source = RemoteJWKS(url: url, minRefreshInterval: .milliseconds(300), client: client, logger: Logger(label: "test"))
            let verifier = TokenVerifier(settings: TokenSettings(), source: source)
            let oldToken = try TokenForgery.eddsa(TokenForgery.claims(), kid: "old", key: old.key("old"))
            _ = try await verifier.verify(oldToken)
            _ = try await verifier.verify(oldToken)
            #expect(publisher.fetches.withLock { $0 } == 1, "a known kid is served from the cache")

            for _ in 0..<20 {
                let forged = try TokenForgery.eddsa(TokenForgery.claims(), kid: "nope", key: old.key("old"))
                await #expect(throws: TokenRejection.self) { try await verifier.verify(forged) }
            }
            #expect(publisher.fetches.withLock { $0 } <= 2, "unknown kids refetch at most once per interval")

            publisher.document.withLock { $0 = both.ring.jwks }
            try await Task.sleep(for: .milliseconds(350))
            let newToken = try TokenForgery.eddsa(TokenForgery.claims(), kid: "new", key: both.key("new"))
            _ = try await verifier.verify(newToken)
            try await client.shutdown()
        }
    }

    @Test func withoutAuthAndWithoutACacheVerificationIsUnavailable() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let source = RemoteJWKS(url: "http://127.0.0.1:1/jwks", client: client, logger: Logger(label: "test"))
        let keys = try await TestKeys()
        let token = try TokenForgery.eddsa(TokenForgery.claims(), kid: "k1", key: keys.key("k1"))
        await #expect(throws: TokenRejection.self) { try await TokenVerifier(settings: TokenSettings(), source: source).verify(token) }
        do {
            _ = try await source.keys(including: "k1")
            Issue.record("expected keysUnavailable")
        } catch {
            guard case .keysUnavailable = error else { Issue.record("got \(error)"); return }
        }
        try await client.shutdown()
    }
}
