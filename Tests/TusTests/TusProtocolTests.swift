import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// The rules every request meets: discovery, versions, ids, users, media types.
@Suite struct TusProtocolTests {
    @Test func optionsTellsWhatTheServerSupportsWithoutTusResumable() async throws {
        let harness = try TusHarness(maxSize: 5_000_000)
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            for uri in ["/api/uploads", "/api/uploads/"] {
                let response = try await client.execute(uri: uri, method: .options)
                #expect(response.status == .noContent)
                #expect(response.headers[TusHeader.version] == "1.0.0")
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
                #expect(response.headers[TusHeader.extension] == "creation,creation-with-upload,termination,expiration,checksum")
                #expect(response.headers[TusHeader.maxSize] == "5000000")
                #expect(response.headers[TusHeader.checksumAlgorithm] == "sha1,sha256")
            }
        }
    }

    @Test func requestsWithoutTheProtocolVersionAre412WithTusVersion() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            let user: HTTPFields = [TestAuthentication.user: "alice", TusHeader.uploadLength: "10"]
            let missing = try await client.execute(uri: "/api/uploads", method: .post, headers: user)
            #expect(missing.status == .preconditionFailed)
            #expect(missing.headers[TusHeader.version] == "1.0.0")
            #expect(missing.headers[TusHeader.resumable] == "1.0.0")
            #expect(missing.detail == "Tus-Resumable must be 1.0.0")

            var wrong = user
            wrong[TusHeader.resumable] = "0.2.2"
            let patch = try await client.execute(uri: location, method: .patch, headers: wrong, body: ByteBuffer(string: "x"))
            #expect(patch.status == .preconditionFailed)
            #expect(patch.headers[TusHeader.version] == "1.0.0")
            let head = try await client.execute(uri: location, method: .head, headers: wrong)
            #expect(head.status == .preconditionFailed)
            #expect(head.body.readableBytes == 0)
            #expect(try await client.offset(of: location) == 0)
        }
    }

    @Test func creationAnswersTheUploadsAbsolutePathAndItsExpiry() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            for uri in ["/api/uploads", "/api/uploads/"] {
                let response = try await client.create(length: 1234, uri: uri)
                #expect(response.status == .created)
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("/api/uploads/"))
                let id = try #require(UUID(uuidString: location.uploadID))
                #expect(id.apiString == location.uploadID)
                let expires = try #require(response.headers[TusHeader.uploadExpires].flatMap(HTTPDate.date(from:)))
                #expect(expires == harness.clock.now.addingTimeInterval(24 * 3600))
                #expect(response.headers[TusHeader.uploadOffset] == "0")
                #expect(harness.exists("temp/tus/\(location.uploadID)"))
                #expect(harness.exists("temp/tus/\(location.uploadID).info"))

                let head = try await client.head(location)
                #expect(head.status == .ok)
                #expect(head.headers[TusHeader.uploadOffset] == "0")
                #expect(head.headers[TusHeader.uploadLength] == "1234")
                #expect(head.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test func creationNeedsAnUploadLengthAndRefusesDeferredLength() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let deferred = try await client.execute(
                uri: "/api/uploads", method: .post,
                headers: client.tusHeaders(user: "alice", [TusHeader.uploadDeferLength: "1"]))
            #expect(deferred.status == .badRequest)
            #expect(deferred.detail == "Upload-Defer-Length is not supported; send Upload-Length")
            for bad in ["", "-1", "12a", "+5", "1.5"] {
                let response = try await client.execute(
                    uri: "/api/uploads", method: .post, headers: client.tusHeaders(user: "alice", [TusHeader.uploadLength: bad]))
                #expect(response.status == .badRequest, "Upload-Length \(bad)")
            }
            #expect(try harness.uploadFiles().isEmpty)
        }
    }

    @Test func anythingButAUUIDIsNotFound() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            for id in ["nope", "..", "%2e%2e%2fetc", UUID().apiString, "\(UUID().apiString).info"] {
                let response = try await client.patch("/api/uploads/\(id)", offset: 0, bytes: [1])
                #expect(response.status == .notFound, "\(id)")
                #expect(response.detail == "Upload not found")
                #expect(try await client.head("/api/uploads/\(id)").status == .notFound)
                #expect(try await client.terminate("/api/uploads/\(id)").status == .notFound)
            }
        }
    }

    @Test func anotherUsersUploadIsNotFound() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 4)
            #expect(try await client.head(location, user: "mallory").status == .notFound)
            let patch = try await client.patch(location, offset: 0, bytes: [1, 2], user: "mallory")
            #expect(patch.status == .notFound)
            #expect(patch.detail == "Upload not found")
            #expect(try await client.terminate(location, user: "mallory").status == .notFound)
            #expect(try await client.offset(of: location) == 0)
        }
    }

    @Test func withoutAUserEveryUploadRequestIs401() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 4)
            let create = try await client.create(length: 4, user: nil)
            #expect(create.status == .unauthorized)
            #expect(create.detail == "Not authenticated")
            #expect(try await client.patch(location, offset: 0, bytes: [1], user: nil).status == .unauthorized)
            #expect(try await client.head(location, user: nil).status == .unauthorized)
            #expect(try await client.terminate(location, user: nil).status == .unauthorized)
            #expect(harness.hooks.authorizations == 1)
        }
    }

    @Test func patchNeedsTheOffsetMediaTypeAndAValidOffset() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 4)
            let plain = try await client.patch(location, offset: 0, bytes: [1], headers: [.contentType: "application/octet-stream"])
            #expect(plain.status == .unsupportedMediaType)
            #expect(plain.headers[TusHeader.resumable] == "1.0.0")
            for bad in ["", "-1", "x"] {
                let response = try await client.patch(location, offset: 0, bytes: [1], headers: [TusHeader.uploadOffset: bad])
                #expect(response.status == .badRequest)
            }
            #expect(try await client.offset(of: location) == 0)
        }
    }

    @Test func postWithMethodOverrideActsAsPatchAndDelete() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 10)
            let patch = try await client.execute(
                uri: location, method: .post,
                headers: client.tusHeaders(user: "alice", [
                    TusHeader.methodOverride: "PATCH", .contentType: TusHeader.offsetOctetStream, TusHeader.uploadOffset: "0",
                ]),
                body: ByteBuffer(bytes: [1, 2, 3]))
            #expect(patch.status == .noContent)
            #expect(patch.headers[TusHeader.uploadOffset] == "3")
            let other = try await client.execute(
                uri: location, method: .post, headers: client.tusHeaders(user: "alice", [TusHeader.methodOverride: "GET"]))
            #expect(other.status == .methodNotAllowed)
            let delete = try await client.execute(
                uri: location, method: .post, headers: client.tusHeaders(user: "alice", [TusHeader.methodOverride: "DELETE"]))
            #expect(delete.status == .noContent)
            #expect(try harness.uploadFiles().isEmpty)
        }
    }
}
