import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Gateway

/// Bodies cross the proxy as streams: a large upload and a large download pass
/// whole and in order while the process's memory stays flat.
@Suite(.serialized) struct StreamingProxyTests {
    static let size = 256 << 20
    /// Far below the body size: had the proxy buffered a body, memory would grow by all of it.
    static let memoryBound = 96 << 20

    /// Samples this process's resident memory while `body` runs; returns the peak growth.
    func peakGrowth(_ body: () async throws -> Void) async throws -> Int {
        let baseline = ProxyHarness.residentBytes()
        let peak = Atomic(baseline)
        let sampler = Task {
            while !Task.isCancelled {
                peak.max(ProxyHarness.residentBytes())
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { sampler.cancel() }
        try await body()
        peak.max(ProxyHarness.residentBytes())
        return peak.load(ordering: .relaxed) - baseline
    }

    @Test func aLargeUploadStreamsThroughWhole() async throws {
        let upstream = Router()
        upstream.post("sink") { request, _ -> String in
            var count = 0
            var intact = true
            for try await buffer in request.body {
                intact = intact && PatternStream.matches(buffer, at: count)
                count += buffer.readableBytes
            }
            return "\(count) \(intact)"
        }
        try await ProxyHarness.withProxy(upstream: upstream) { base, client in
            let growth = try await peakGrowth {
                var request = HTTPClientRequest(url: base + "/sink")
                request.method = .POST
                request.body = .stream(PatternStream(total: Self.size), length: .known(Int64(Self.size)))
                let response = try await client.execute(request, timeout: .seconds(300))
                #expect(response.status == .ok)
                let text = String(buffer: try await response.body.collect(upTo: 1024))
                #expect(text == "\(Self.size) true")
            }
            #expect(growth < Self.memoryBound, "memory grew by \(growth >> 20) MiB for a \(Self.size >> 20) MiB upload")
        }
    }

    @Test func aLargeDownloadStreamsThroughWhole() async throws {
        let upstream = Router()
        upstream.get("source") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: String(Self.size)],
                body: ResponseBody(asyncSequence: PatternStream(total: Self.size)))
        }
        try await ProxyHarness.withProxy(upstream: upstream) { base, client in
            let growth = try await peakGrowth {
                let response = try await client.execute(HTTPClientRequest(url: base + "/source"), timeout: .seconds(300))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-length") == String(Self.size))
                var count = 0
                var matches = true
                for try await buffer in response.body {
                    matches = matches && PatternStream.matches(buffer, at: count)
                    count += buffer.readableBytes
                }
                #expect(count == Self.size)
                #expect(matches)
            }
            #expect(growth < Self.memoryBound, "memory grew by \(growth >> 20) MiB for a \(Self.size >> 20) MiB download")
        }
    }
}

extension Atomic where Value == Int {
    func max(_ value: Int) {
        var current = load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
