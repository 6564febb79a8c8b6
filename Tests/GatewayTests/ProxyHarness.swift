import AsyncHTTPClient
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import HTTPTypes
import NIOCore
import NIOHTTP1
import ServiceKit

@testable import Gateway

/// A real upstream server and a real proxy in front of it, both on loopback
/// ports, for live tests of the gateway's forwarding.
enum ProxyHarness {
    /// Runs `body` with the proxy's base URL, the upstream being `upstream`'s router.
    static func withProxy(
        upstream: Router<BasicRequestContext>, timeout: Int = 30,
        _ body: @escaping @Sendable (String, HTTPClient) async throws -> Void
    ) async throws {
        try await live(upstream) { upstreamPort in
            try await withProxy(upstreamURL: "http://127.0.0.1:\(upstreamPort)", timeout: timeout, body)
        }
    }

    /// Runs `body` with a proxy whose media upstream is `upstreamURL`.
    static func withProxy(
        upstreamURL: String, timeout: Int = 30, _ body: @escaping @Sendable (String, HTTPClient) async throws -> Void
    ) async throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "media.url": .init(.string(upstreamURL), isSecret: false),
            "gateway.upstream.timeout": .init(.int(timeout), isSecret: false),
        ]))
        let settings = try GatewaySettings(reader: reader)
        let client = GatewayService.makeHTTPClient(settings: settings, connections: 8)
        let proxy = UpstreamProxy(client: client, settings: settings, addresses: ClientAddressResolver(trusted: ["127.0.0.1"]))
        let router = Router(context: ClipsetRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.on("**", method: .get) { request, context in try await proxy.forward(request, to: .media, context: context) }
        router.on("**", method: .post) { request, context in try await proxy.forward(request, to: .media, context: context) }
        let caller = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await live(router) { port in try await body("http://127.0.0.1:\(port)", caller) }
        } catch {
            try await caller.shutdown()
            try await client.shutdown()
            throw error
        }
        try await caller.shutdown()
        try await client.shutdown()
    }

    private static func live<Context: RequestContext>(
        _ router: Router<Context>, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws where Context.Source == ApplicationRequestContextSource {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client.port!) }
    }

    /// The resident memory of this process, in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

/// Chunks of a repeated 64 KiB pattern, `total` bytes in all, produced on demand.
struct PatternStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let total: Int
    static let chunk = ByteBuffer(bytes: (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: Int
        mutating func next() async -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            let size = Swift.min(remaining, PatternStream.chunk.readableBytes)
            remaining -= size
            return PatternStream.chunk.getSlice(at: 0, length: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: total) }

    /// Whether `buffer` holds the pattern's bytes from stream offset `offset` on
    /// (compared with memcmp, so a debug build checks hundreds of MiB quickly).
    static func matches(_ buffer: ByteBuffer, at offset: Int) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            chunk.withUnsafeReadableBytes { pattern in
                var position = 0
                while position < bytes.count {
                    let start = (offset + position) % pattern.count
                    let length = Swift.min(bytes.count - position, pattern.count - start)
                    if memcmp(bytes.baseAddress! + position, pattern.baseAddress! + start, length) != 0 { return false }
                    position += length
                }
                return true
            }
        }
    }
}
