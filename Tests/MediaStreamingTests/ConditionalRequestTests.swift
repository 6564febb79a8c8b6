#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// `If-Range`, `If-None-Match` and `HEAD`.
@Suite struct ConditionalRequestTests {
    /// The validators of `name` from a plain `GET`.
    static func validators(of name: String, client: some TestClientProtocol) async throws -> (eTag: String, lastModified: String) {
        try await client.execute(uri: "/files/\(name)", method: .get) { response in
            (try #require(response.headers[.eTag]), try #require(response.headers[.lastModified]))
        }
    }

    @Test func ifRangeWithTheCurrentETagOrDateGivesTheRange() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let (eTag, lastModified) = try await Self.validators(of: "clip.mp4", client: client)
            for validator in [eTag, lastModified] {
                try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=100-199", .ifRange: validator]) { response in
                    #expect(response.status == .partialContent)
                    #expect(Array(buffer: response.body) == bytes[bytes: 100...199])
                }
            }
        }
    }

    @Test(arguments: [
        ("another tag", #""0-0-0-0-0""#),
        ("our tag made weak", "W/<etag>"),
        ("our tag unquoted", "<bare>"),
        ("another date", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ])
    func ifRangeThatDoesNotMatchGivesTheWholeFile(_ what: String, validator: String) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let (eTag, _) = try await Self.validators(of: "clip.mp4", client: client)
            let value = validator.replacingOccurrences(of: "<etag>", with: eTag).replacingOccurrences(of: "<bare>", with: eTag.replacingOccurrences(of: "\"", with: ""))
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=100-199", .ifRange: value]) { response in
                #expect(response.status == .ok, "\(what)")
                #expect(Array(buffer: response.body) == bytes)
            }
        }
    }

    @Test(arguments: [
        (784_111_777.0, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400.5, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (0.0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (4_102_444_799.0, "Thu, 31 Dec 2099 23:59:59 GMT"),
    ])
    func lastModifiedIsTheModificationTimeAsAnIMFFixdate(seconds: Double, expected: String) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 10)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: folder.path("clip.mp4"))
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .head) { response in
                #expect(response.headers[.lastModified] == expected)
            }
        }
    }

    @Test func aFileReplacedWithTheSameSizeGetsANewETag() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let (oldTag, _) = try await Self.validators(of: "clip.mp4", client: client)
            // Publish a new version the way the pipeline does: write aside, rename into place.
            let fresh = try folder.randomFile("clip.mp4.tmp", count: 10_000)
            #expect(rename(folder.path("clip.mp4.tmp"), folder.path("clip.mp4")) == 0)
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=0-9", .ifRange: oldTag]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] != oldTag)
                #expect(Array(buffer: response.body) == fresh)
            }
        }
    }

    @Test(arguments: ["<etag>", "*", "W/<etag>", #""other", <etag>"#, #"  "a,b" , <etag>"#])
    func ifNoneMatchThatMatchesIs304WithoutABody(header: String) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let (eTag, lastModified) = try await Self.validators(of: "clip.mp4", client: client)
            let value = header.replacingOccurrences(of: "<etag>", with: eTag)
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: "/files/clip.mp4", method: method, headers: [.ifNoneMatch: value, .range: "bytes=0-1"]) { response in
                    #expect(response.status == .notModified, "\(method) \(value)")
                    #expect(response.body.readableBytes == 0)
                    #expect(response.headers[.eTag] == eTag)
                    #expect(response.headers[.lastModified] == lastModified)
                    #expect(response.headers[.cacheControl] == "public, max-age=3600")
                    #expect(response.headers[.contentLength] == nil)
                }
            }
        }
    }

    @Test func ifNoneMatchThatDoesNotMatchIsServedAsUsual() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let (eTag, _) = try await Self.validators(of: "clip.mp4", client: client)
            let headers: HTTPFields = [.ifNoneMatch: #"W/"x", "x\#(eTag.dropFirst())"#, .range: "bytes=0-1"]
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: headers) { response in
                #expect(response.status == .partialContent)
                #expect(Array(buffer: response.body) == bytes[bytes: 0...1])
            }
        }
    }

    @Test func headHasTheHeadersOfAGetAndNoBody() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: 10_000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            let get = try await client.execute(uri: "/files/clip.mp4", method: .get)
            // RFC 9110 §14.2 defines Range for GET only, so HEAD ignores it.
            for headers: HTTPFields in [[:], [.range: "bytes=0-9"], [.range: "bytes=999999-"]] {
                try await client.execute(uri: "/files/clip.mp4", method: .head, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.readableBytes == 0)
                    for name: HTTPField.Name in [.contentLength, .contentType, .eTag, .lastModified, .acceptRanges, .cacheControl] {
                        #expect(response.headers[name] == get.headers[name], "\(name)")
                    }
                }
            }
        }
    }

    @Test func headOfAMissingFileIs404() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/none.mp4", method: .head) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
