import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// One writer per upload, across requests and replicas; dropped connections keep what arrived.
@Suite struct TusConcurrencyTests {
    @Test func aPatchWhileAnotherReplicaHoldsTheUploadIs423() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            let lock = try ForeignLock(path: harness.path("temp/tus/\(location.uploadID)"))
            let refused = try await client.patch(location, offset: 0, bytes: [1, 2, 3])
            #expect(refused.status.code == 423)
            #expect(refused.detail == "Upload is locked by another request; retry later")
            #expect(refused.headers[TusHeader.resumable] == "1.0.0")
            #expect(try await client.terminate(location).status.code == 423)
            // HEAD needs no lock: it reads the record, which is replaced whole.
            #expect(try await client.offset(of: location) == 0)
            lock.release()
            #expect(try await client.patch(location, offset: 0, bytes: [1, 2, 3]).status == .noContent)
        }
    }

    @Test func aSecondPatchDuringAnUnfinishedOneIsRefusedAndTheFirstCompletes() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(200_000)
        try await harness.app().test(.live) { client in
            let port = try #require(client.port)
            let location = try await client.createUpload(length: Int64(bytes.count))
            let status = try await RawHTTPConnection.open(port: port) { first in
                try await first.send(RawHTTPConnection.patchHead(path: location, user: "alice", offset: 0, length: bytes.count))
                try await first.send(Array(bytes[..<50_000]))
                // Bytes reach the data file only under the lock: once some are there, the first
                // PATCH holds the upload, and a second one is refused.
                let writing = try await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
                    (try? harness.bytes(of: "temp/tus/\(location.uploadID)").count) ?? 0 > 0
                }
                #expect(writing)
                let second = try await client.patch(location, offset: 0, bytes: Array(bytes[..<10]))
                #expect(second.status.code == 423)
                #expect(second.detail == "Upload is locked by another request; retry later")
                try await first.send(Array(bytes[50_000...]))
                return try await first.readStatus()
            }
            #expect(status == 204)
            #expect(try harness.video(location.uploadID) == bytes)
            #expect(harness.hooks.completions.count == 1)
        }
    }

    @Test func aDroppedConnectionKeepsTheBytesThatArrived() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(120_000)
        try await harness.app().test(.live) { client in
            let port = try #require(client.port)
            let location = try await client.createUpload(length: Int64(bytes.count))
            try await RawHTTPConnection.open(port: port) { connection in
                try await connection.send(RawHTTPConnection.patchHead(path: location, user: "alice", offset: 0, length: bytes.count))
                try await connection.send(Array(bytes[..<45_000]))
                try await Task.sleep(for: .milliseconds(200))
            }

            // The server notices, syncs what it wrote and records it: offset == bytes on disk.
            let kept = try await eventually(timeout: .seconds(10)) {
                try await client.offset(of: location) == 45_000
            }
            #expect(kept)
            #expect(try harness.bytes(of: "temp/tus/\(location.uploadID)") == Array(bytes[..<45_000]))
            let rest = try await client.patch(location, offset: 45_000, bytes: Array(bytes[45_000...]))
            #expect(rest.status == .noContent)
            #expect(try harness.video(location.uploadID) == bytes)
        }
    }

    @Test func bytesPastTheRecordedOffsetAreCutOnResume() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(1000)
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 1000)
            #expect(try await client.patch(location, offset: 0, bytes: Array(bytes[..<400])).status == .noContent)
            // A crash after a write but before its record: the file is longer than the offset says.
            let data = harness.path("temp/tus/\(location.uploadID)")
            let handle = try #require(FileHandle(forWritingAtPath: data))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(repeating: 0xFF, count: 300))
            try handle.close()
            #expect(try await client.offset(of: location) == 400)
            #expect(try await client.patch(location, offset: 400, bytes: Array(bytes[400..<500])).status == .noContent)
            #expect(try harness.bytes(of: "temp/tus/\(location.uploadID)") == Array(bytes[..<500]))
            #expect(try await client.patch(location, offset: 500, bytes: Array(bytes[500...])).status == .noContent)
            #expect(try harness.video(location.uploadID) == bytes)
        }
    }
}
