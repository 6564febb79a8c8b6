import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import TestSupport
import Testing

/// Whether `/proc/self/fd` lists this process's open files (Linux), which ``MediaFolder/isOpen(_:)`` reads.
private let hasProcFileDescriptors = FileManager.default.fileExists(atPath: "/proc/self/fd")

/// The body is streamed from disk over a real socket, and the file is closed in every case.
@Suite struct StreamingTests {
    @Test func aFileOfManyChunksArrivesWholeOverASocket() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("big.mp4", count: 9 * 1024 * 1024 + 17)
        try await makeMediaApp(folder: folder).test(.live) { client in
            try await client.execute(uri: "/files/big.mp4", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Array(buffer: response.body) == bytes)
            }
            try await client.execute(uri: "/files/big.mp4", method: .get, headers: [.range: "bytes=1000-4194999"]) { response in
                #expect(response.status == .partialContent)
                #expect(Array(buffer: response.body) == bytes[bytes: 1000...4_194_999])
            }
            try await client.execute(uri: "/files/big.mp4", method: .head) { response in
                #expect(response.headers[.contentLength] == String(bytes.count))
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test(arguments: [1, 1000, 4096, 65_537])
    func oddChunkSizesGiveTheSameBytes(chunkSize: Int) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 200_003)
        try await makeMediaApp(folder: folder, chunkSize: chunkSize).test(.router) { client in
            let range = chunkSize == 1 ? 99_990...100_010 : 777...199_999
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=\(range.lowerBound)-\(range.upperBound)"]) { response in
                #expect(Array(buffer: response.body) == bytes[bytes: range])
            }
        }
    }

    @Test func aNotModifiedResponseOverASocketHasNoBodyOrFraming() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 5000)
        try await makeMediaApp(folder: folder).test(.live) { client in
            let eTag = try await client.execute(uri: "/files/clip.mp4", method: .head) { try #require($0.headers[.eTag]) }
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.ifNoneMatch: eTag]) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.transferEncoding] == nil)
                #expect(response.body.readableBytes == 0)
            }
            // The connection is still usable afterwards.
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=0-3"]) { response in
                #expect(response.status == .partialContent)
            }
        }
    }

    @Test(.enabled(if: hasProcFileDescriptors))
    func theFileIsClosedAfterEveryKindOfResponse() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 600_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let eTag = try await client.execute(uri: "/files/clip.mp4", method: .head) { try #require($0.headers[.eTag]) }
            let requests: [(HTTPRequest.Method, HTTPFields)] = [
                (.get, [:]), (.get, [.range: "bytes=10-20"]), (.get, [.range: "bytes=0-0,500000-"]), (.get, [.range: "bytes=999999-"]),
                (.get, [.ifNoneMatch: eTag]), (.head, [:]), (.head, [.ifNoneMatch: eTag]),
            ]
            for (method, headers) in requests {
                try await client.execute(uri: "/files/clip.mp4", method: method, headers: headers) { _ in }
                #expect(try !folder.isOpen("clip.mp4"), "\(method) \(headers)")
            }
        }
    }

    @Test(.enabled(if: hasProcFileDescriptors))
    func aClientThatStopsReadingStallsTheServerAndOneThatLeavesClosesTheFile() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("big.mp4", count: 48 * 1024 * 1024)
        try await makeMediaApp(folder: folder).test(.live) { client in
            let port = try #require(client.port)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /files/big.mp4 HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                var received = 0
                for try await chunk in inbound {
                    received += chunk.readableBytes
                    if received > 1_000_000 { break }
                }
                // Not reading any more: the server waits on the socket with the file open.
                try await Task.sleep(for: .milliseconds(500))
                #expect(try folder.isOpen("big.mp4"))
            }
            #expect(try await eventually(timeout: .seconds(10)) { try !folder.isOpen("big.mp4") })
        }
    }
}
