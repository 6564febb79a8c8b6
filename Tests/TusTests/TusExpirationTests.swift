import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// Uploads expire a day after their last bytes: 410 until the sweep removes their files.
@Suite struct TusExpirationTests {
    @Test func anExpiredUploadIs410AndTheSweepRemovesItsFiles() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let stale = try await client.createUpload(length: 10)
            #expect(try await client.patch(stale, offset: 0, bytes: [1, 2]).status == .noContent)
            harness.clock.advance(by: 20 * 3600)
            // A PATCH moves the expiry: a day from its bytes.
            let fresh = try await client.createUpload(length: 10)
            let patched = try await client.patch(fresh, offset: 0, bytes: [1])
            let expires = try #require(patched.headers[TusHeader.uploadExpires].flatMap(HTTPDate.date(from:)))
            #expect(expires == harness.clock.now.addingTimeInterval(24 * 3600))
            harness.clock.advance(by: 5 * 3600)

            for response in [
                try await client.head(stale), try await client.patch(stale, offset: 2, bytes: [3]), try await client.terminate(stale),
            ] {
                #expect(response.status == .gone)
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
            }
            #expect(try await client.patch(stale, offset: 2, bytes: [3]).detail == "Upload expired")
            #expect(try await client.offset(of: fresh) == 1)

            #expect(try await harness.controller.sweepExpired() == 1)
            #expect(try harness.uploadFiles() == ["\(fresh.uploadID)", "\(fresh.uploadID).info"])
            #expect(try await client.head(stale).status == .notFound)
            #expect(try await client.patch(fresh, offset: 1, bytes: [2]).status == .noContent)
            #expect(try await harness.controller.sweepExpired() == 0)
        }
    }

    @Test func theSweepRemovesConvertedRecordsAndOrphansButNotLockedUploads() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let done = try await client.createUpload(length: 2)
            #expect(try await client.patch(done, offset: 0, bytes: [1, 2]).status == .noContent)
            let held = try await client.createUpload(length: 2)
            // A data file without a record: a crash between creating the two files.
            let orphan = UUID().apiString
            try harness.file("temp/tus/\(orphan)", bytes: [1])
            try harness.file("temp/tus/not-an-upload.txt", bytes: [1])
            harness.clock.advance(by: 25 * 3600)

            let lock = try ForeignLock(path: harness.path("temp/tus/\(held.uploadID)"))
            #expect(try await harness.controller.sweepExpired() == 2)
            #expect(try harness.uploadFiles() == ["\(held.uploadID)", "\(held.uploadID).info", "not-an-upload.txt"])
            lock.release()
            #expect(try await harness.controller.sweepExpired() == 1)
            #expect(try harness.uploadFiles() == ["not-an-upload.txt"])
        }
    }
}
