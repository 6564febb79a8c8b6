import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Hop-by-hop headers stay on their hop, the client's address and the
/// request id travel on, and a service that is down or hangs is a JSON 503/504.
@Suite struct ProxyHeaderAndErrorTests {
    @Test func hopByHopHeadersStayAndForwardedHeadersGo() async throws {
        let upstream = Router()
        upstream.get("echo") { request, _ -> Response in
            let names = request.headers.map { "\($0.name.canonicalName)=\($0.value)" }.sorted().joined(separator: "\n")
            return Response(
                status: .ok,
                headers: [.init("Connection")!: "close, X-Upstream-Secret", .init("X-Upstream-Secret")!: "1",
                          .init("Server")!: "clipset-media", .init("X-Kept")!: "yes"],
                body: .init(byteBuffer: ByteBuffer(string: names)))
        }
        try await ProxyHarness.withProxy(upstream: upstream) { base, client in
            var request = HTTPClientRequest(url: base + "/echo?x=1")
            request.headers.add(name: "Connection", value: "keep-alive, X-Client-Secret")
            request.headers.add(name: "X-Client-Secret", value: "s3cret")
            request.headers.add(name: "Keep-Alive", value: "timeout=5")
            request.headers.add(name: "X-Forwarded-For", value: "203.0.113.50")
            request.headers.add(name: "X-Custom", value: "kept")
            let response = try await client.execute(request, timeout: .seconds(10))
            let seen = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(!seen.contains("x-client-secret"))
            #expect(!seen.contains("keep-alive="))
            #expect(seen.contains("x-custom=kept"))
            #expect(seen.contains("x-forwarded-for=203.0.113.50, 127.0.0.1"), "a trusted peer's chain is extended")
            #expect(seen.contains("x-forwarded-proto=http"))
            #expect(seen.contains("x-forwarded-host=127.0.0.1"))
            #expect(response.headers["X-Upstream-Secret"].isEmpty)
            #expect(response.headers["Server"].allSatisfy { $0 != "clipset-media" })
            #expect(response.headers.first(name: "X-Kept") == "yes")
        }
    }

    @Test func aServiceThatIsDownIsA503WithRetryAfter() async throws {
        try await ProxyHarness.withProxy(upstreamURL: "http://127.0.0.1:1") { base, client in
            let response = try await client.execute(HTTPClientRequest(url: base + "/api/videos/"), timeout: .seconds(10))
            #expect(response.status == .serviceUnavailable)
            #expect(Int(response.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(body.contains("\"detail\""))
        }
    }

    @Test func aServiceThatHangsIsA504AfterTheTimeout() async throws {
        let upstream = Router()
        upstream.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(10))
            return "late"
        }
        try await ProxyHarness.withProxy(upstream: upstream, timeout: 1) { base, client in
            // The upstream would answer 200 after 10 s; only the proxy's 1 s limit gives a 504.
            let response = try await client.execute(HTTPClientRequest(url: base + "/slow"), timeout: .seconds(30))
            #expect(response.status == .gatewayTimeout)
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(body.contains("\"detail\""))
        }
    }
}
