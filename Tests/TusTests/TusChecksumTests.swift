import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// `Upload-Checksum`: a matching digest stores the body, a wrong one stores nothing (460).
@Suite struct TusChecksumTests {
    static func header(_ algorithm: String, _ digest: some Sequence<UInt8>) -> HTTPFields {
        [TusHeader.uploadChecksum: "\(algorithm) \(Data(digest).base64EncodedString())"]
    }

    @Test func matchingSHA1AndSHA256ChecksumsAreAccepted() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(100_000)
        let first = Array(bytes[..<60_000]), second = Array(bytes[60_000...])
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: Int64(bytes.count))
            let sha1 = try await client.patch(
                location, offset: 0, bytes: first, headers: Self.header("sha1", Insecure.SHA1.hash(data: first)))
            #expect(sha1.status == .noContent)
            #expect(sha1.headers[TusHeader.uploadOffset] == "60000")
            let sha256 = try await client.patch(
                location, offset: 60_000, bytes: second, headers: Self.header("sha256", SHA256.hash(data: second)))
            #expect(sha256.status == .noContent)
            #expect(try harness.video(location.uploadID) == bytes)
        }
    }

    @Test func aMismatchIs460AndTheBytesOfThatPatchAreDiscarded() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(90_000)
        try await harness.app().test(.live) { client in
            let location = try await client.createUpload(length: Int64(bytes.count))
            #expect(try await client.patch(location, offset: 0, bytes: Array(bytes[..<10_000])).status == .noContent)
            let chunk = Array(bytes[10_000..<80_000])
            for algorithm in ["sha1", "sha256"] {
                let wrong = Self.header(algorithm, algorithm == "sha1"
                    ? Array(Insecure.SHA1.hash(data: chunk.dropLast())) : Array(SHA256.hash(data: chunk.dropLast())))
                let response = try await client.patch(location, offset: 10_000, bytes: chunk, headers: wrong)
                #expect(response.status.code == 460)
                #expect(response.detail == "Upload-Checksum does not match the body")
                #expect(response.headers[TusHeader.resumable] == "1.0.0")
                #expect(try await client.offset(of: location) == 10_000)
                #expect(try harness.bytes(of: "temp/tus/\(location.uploadID)").count == 10_000)
            }
            let good = try await client.patch(
                location, offset: 10_000, bytes: Array(bytes[10_000...]), headers: Self.header("sha256", SHA256.hash(data: bytes[10_000...])))
            #expect(good.status == .noContent)
            #expect(try harness.video(location.uploadID) == bytes)
        }
    }

    @Test func anUnsupportedOrMalformedChecksumIs400() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let location = try await client.createUpload(length: 4)
            let md5 = try await client.patch(location, offset: 0, bytes: [1, 2], headers: [TusHeader.uploadChecksum: "md5 AAAAAAAAAAAAAAAAAAAAAA=="])
            #expect(md5.status == .badRequest)
            #expect(md5.detail == "Unsupported checksum algorithm 'md5'; supported: sha1,sha256")
            for malformed in ["sha1", "sha1 not-base64!", "sha256 \(Data([1, 2, 3]).base64EncodedString())"] {
                let response = try await client.patch(location, offset: 0, bytes: [1, 2], headers: [TusHeader.uploadChecksum: malformed])
                #expect(response.status == .badRequest, "\(malformed)")
            }
            #expect(try await client.offset(of: location) == 0)
        }
    }

    @Test func aChecksumOnCreationWithUploadIsCheckedToo() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(1000)
        try await harness.app().test(.router) { client in
            let bad = try await client.create(length: 2000, body: bytes, headers: Self.header("sha1", Insecure.SHA1.hash(data: [1])))
            #expect(bad.status.code == 460)
            #expect(try harness.uploadFiles().isEmpty)
            let good = try await client.create(length: 2000, body: bytes, headers: Self.header("sha1", Insecure.SHA1.hash(data: bytes)))
            #expect(good.status == .created)
            #expect(good.headers[TusHeader.uploadOffset] == "1000")
        }
    }
}
