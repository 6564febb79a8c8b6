import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// Bytes in, the same bytes out: several PATCHes, creation-with-upload, offsets, limits,
/// termination and the completion hook.
@Suite struct TusUploadTests {
    @Test func severalPatchesOverALiveServerMakeAByteIdenticalFile() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(700_001)
        try await harness.app().test(.live) { client in
            let location = try await client.createUpload(length: Int64(bytes.count), metadata: metadataHeader(["title": "Holiday"]))
            var offset = 0
            for size in [65_536, 300_000, 1, 334_464] {
                let response = try await client.patch(location, offset: Int64(offset), bytes: Array(bytes[offset..<offset + size]))
                offset += size
                #expect(response.status == .noContent)
                #expect(response.headers[TusHeader.uploadOffset] == String(offset))
                #expect(response.headers[TusHeader.uploadExpires] != nil)
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
                if offset == bytes.count {
                    #expect(response.headers[TusTestHeader.videoID] == location.uploadID)
                } else {
                    #expect(try await client.offset(of: location) == Int64(offset))
                }
            }
            let completion = try #require(harness.hooks.completions.first)
            #expect(harness.hooks.completions.count == 1)
            #expect(completion.sha256 == sha256Hex(bytes))
            #expect(completion.title == "Holiday")
            #expect(try harness.video(location.uploadID) == bytes)
            // Only the record stays, so a resuming client learns the upload is done.
            #expect(try harness.uploadFiles() == ["\(location.uploadID).info"])
            let head = try await client.head(location)
            #expect(head.headers[TusHeader.uploadOffset] == String(bytes.count))
            #expect(head.headers[TusTestHeader.videoID] == location.uploadID)
        }
    }

    @Test func creationWithUploadStoresTheFirstBytes() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(50_000)
        try await harness.app().test(.router) { client in
            let response = try await client.create(length: Int64(bytes.count), body: Array(bytes[..<20_000]))
            #expect(response.status == .created)
            #expect(response.headers[TusHeader.uploadOffset] == "20000")
            let location = try #require(response.headers[.location])
            #expect(try await client.offset(of: location) == 20_000)
            let rest = try await client.patch(location, offset: 20_000, bytes: Array(bytes[20_000...]))
            #expect(rest.status == .noContent)
            #expect(try harness.video(location.uploadID) == bytes)

            // The whole file in the POST: created and completed at once, Location still the upload's.
            let whole = try await client.create(length: 3, body: [7, 8, 9])
            #expect(whole.status == .created)
            #expect(whole.headers[.location]?.hasPrefix("/api/uploads/") == true)
            #expect(whole.headers[TusHeader.uploadOffset] == "3")
            #expect(whole.headers[TusTestHeader.videoID] == whole.uploadID)
            #expect(try harness.video(try #require(whole.uploadID)) == [7, 8, 9])
            #expect(harness.hooks.completions.count == 2)
        }
    }

    @Test func aWrongOffsetIs409AndChangesNothing() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            #expect(try await client.patch(location, offset: 0, bytes: [1, 2, 3]).status == .noContent)
            for offset: Int64 in [0, 2, 4, 10] {
                let response = try await client.patch(location, offset: offset, bytes: [9])
                #expect(response.status == .conflict, "offset \(offset)")
                #expect(response.detail == "Upload-Offset does not match the upload's offset 3")
            }
            #expect(try await client.offset(of: location) == 3)
            #expect(try harness.bytes(of: "temp/tus/\(location.uploadID)") == [1, 2, 3])
        }
    }

    @Test func headAfterAPartialUploadTellsWhereToResume() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.live) { client in
            let location = try await client.createUpload(length: 100, metadata: metadataHeader(["title": "Cats", "filename": "a.mp4"]))
            #expect(try await client.patch(location, offset: 0, bytes: payload(40)).status == .noContent)
            let head = try await client.head(location)
            #expect(head.status == .ok)
            #expect(head.headers[TusHeader.uploadOffset] == "40")
            #expect(head.headers[TusHeader.uploadLength] == "100")
            #expect(head.headers[.cacheControl] == "no-store")
            #expect(head.headers[TusHeader.resumable] == "1.0.0")
            #expect(head.headers[TusHeader.uploadMetadata] == metadataHeader(["filename": "a.mp4", "title": "Cats"]))
            #expect(head.body.readableBytes == 0)
            // An error to a HEAD has no body either, and the connection stays usable.
            let missing = try await client.head("/api/uploads/\(UUID().apiString)")
            #expect(missing.status == .notFound)
            #expect(missing.body.readableBytes == 0)
            #expect(try await client.offset(of: location) == 40)
        }
    }

    @Test func aBodyBeyondTheUploadLengthIs413AndNothingIsStored() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            #expect(try await client.patch(location, offset: 0, bytes: payload(4)).status == .noContent)
            let response = try await client.patch(location, offset: 4, bytes: payload(7))
            #expect(response.status == .contentTooLarge)
            #expect(response.detail == "The body goes beyond Upload-Length")
            #expect(try await client.offset(of: location) == 4)
            #expect(try harness.bytes(of: "temp/tus/\(location.uploadID)").count == 4)
            #expect(try await client.create(length: 5, body: payload(6)).status == .contentTooLarge)
            #expect(try harness.uploadFiles().count == 2)
        }
    }

    @Test func anUploadOverTheMaximumSizeIs413BeforeAnyFile() async throws {
        let harness = try TusHarness(maxSize: 1000)
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let response = try await client.create(length: 1001)
            #expect(response.status == .contentTooLarge)
            #expect(response.detail == "Upload-Length exceeds the maximum size of 1000 bytes")
            #expect(response.headers[TusHeader.resumable] == "1.0.0")
            #expect(try await client.create(length: 1000).status == .created)
            #expect(harness.hooks.authorizations == 1)
        }
    }

    @Test func aQuotaRefusalIsTheServicesErrorAndLeavesNoFile() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        harness.hooks.setQuota(100)
        try await harness.app().test(.router) { client in
            for body in [nil, payload(101)] as [[UInt8]?] {
                let response = try await client.create(length: 101, body: body)
                #expect(response.status == .forbidden)
                #expect(response.detail == "Upload would exceed weekly quota")
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
            }
            #expect(try harness.uploadFiles().isEmpty)
        }
    }

    @Test func terminationRemovesTheUpload() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            #expect(try await client.patch(location, offset: 0, bytes: payload(5)).status == .noContent)
            let response = try await client.terminate(location)
            #expect(response.status == .noContent)
            #expect(response.headers[TusHeader.resumable] == "1.0.0")
            #expect(try harness.uploadFiles().isEmpty)
            #expect(try await client.head(location).status == .notFound)
            #expect(try await client.patch(location, offset: 5, bytes: [1]).status == .notFound)
            #expect(try await client.terminate(location).status == .notFound)
        }
    }

    @Test func theCompletionHookRunsExactlyOnce() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 6)
            #expect(try await client.patch(location, offset: 0, bytes: [1, 2, 3]).status == .noContent)
            #expect(harness.hooks.completions.isEmpty)
            let last = try await client.patch(location, offset: 3, bytes: [4, 5, 6])
            #expect(last.status == .noContent)
            #expect(last.headers[.location] == "/api/videos/\(location.uploadID)")
            // A client that repeats itself learns the final state, and nothing runs again.
            let again = try await client.patch(location, offset: 6, bytes: [])
            #expect(again.status == .noContent)
            #expect(again.headers[TusHeader.uploadOffset] == "6")
            #expect(again.headers[TusTestHeader.videoID] == location.uploadID)
            #expect(try await client.patch(location, offset: 6, bytes: [7]).status == .contentTooLarge)
            #expect(try await client.patch(location, offset: 3, bytes: [4, 5, 6]).status == .conflict)
            #expect(try await client.offset(of: location) == 6)
            #expect(harness.hooks.completions.map(\.id.apiString) == [location.uploadID])
        }
    }

    @Test func aFailedConversionIsReportedAndRetriedByTheNextHeadWhichStillReportsTheOffset() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        harness.hooks.failNextCompletions(2)
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 4)
            let response = try await client.patch(location, offset: 0, bytes: [1, 2, 3, 4])
            #expect(response.status == .serviceUnavailable)
            #expect(response.detail == "The video could not be registered")
            #expect(response.headers[TusHeader.uploadOffset] == "4")
            #expect(response.headers[TusHeader.resumable] == "1.0.0")
            // The bytes are kept; the next HEAD tries again and, refused once more, still reports
            // the offset (tus 1.0: HEAD always carries it) without the conversion's headers.
            let refused = try await client.head(location)
            #expect(refused.status == .ok)
            #expect(refused.headers[TusHeader.uploadOffset] == "4")
            #expect(refused.headers[TusTestHeader.videoID] == nil)
            #expect(harness.hooks.completions.isEmpty)
            let head = try await client.head(location)
            #expect(head.status == .ok)
            #expect(head.headers[TusHeader.uploadOffset] == "4")
            #expect(head.headers[TusTestHeader.videoID] == location.uploadID)
            #expect(harness.hooks.completions.count == 1)
            #expect(try harness.video(location.uploadID) == [1, 2, 3, 4])
            #expect(try await client.head(location).status == .ok)
            #expect(harness.hooks.completions.count == 1)
        }
    }
}
