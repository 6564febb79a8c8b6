import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// `GET` with and without `Range` against byte-exact slices of a random file.
@Suite struct RangeResponseTests {
    /// Two and a half chunks of the default 512 KiB, so whole-file and long ranges cross chunk boundaries.
    static let size = 1_300_000

    @Test func withoutRangeTheWholeFileIs200() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: Self.size)
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == String(Self.size))
                #expect(response.headers[.contentType] == "video/mp4")
                #expect(response.headers[.acceptRanges] == "bytes")
                #expect(response.headers[.cacheControl] == "public, max-age=3600")
                #expect(response.headers[.contentRange] == nil)
                #expect(response.headers[.lastModified]?.hasSuffix(" GMT") == true)
                let eTag = try #require(response.headers[.eTag])
                #expect(eTag.hasPrefix("\"") && eTag.hasSuffix("\"") && !eTag.hasPrefix("W/"))
                #expect(Array(buffer: response.body) == bytes)
            }
        }
    }

    @Test(arguments: [
        ("first byte", "bytes=0-0", 0...0),
        ("last byte", "bytes=1299999-1299999", 1_299_999...1_299_999),
        ("middle across a chunk boundary", "bytes=262000-524400", 262_000...524_400),
        ("open-ended", "bytes=1000000-", 1_000_000...1_299_999),
        ("suffix", "bytes=-1000", 1_299_000...1_299_999),
        ("suffix larger than the file", "bytes=-99999999", 0...1_299_999),
        ("end clamped to the last byte", "bytes=1299990-99999999999", 1_299_990...1_299_999),
        ("end beyond Int64", "bytes=5-99999999999999999999999", 5...1_299_999),
        ("unit in capitals, spaces", "Bytes= 7-9 ", 7...9),
        ("an empty list element", "bytes=, 10-20", 10...20),
    ])
    func aSatisfiableRangeIs206WithExactlyThoseBytes(_ what: String, header: String, expected: ClosedRange<Int>) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: Self.size)
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: header]) { response in
                #expect(response.status == .partialContent, "\(what)")
                #expect(response.headers[.contentRange] == "bytes \(expected.lowerBound)-\(expected.upperBound)/\(Self.size)")
                #expect(response.headers[.contentLength] == String(expected.count))
                #expect(response.headers[.contentType] == "video/mp4")
                #expect(response.headers[.acceptRanges] == "bytes")
                #expect(response.headers[.eTag] != nil && response.headers[.lastModified] != nil)
                #expect(Array(buffer: response.body) == bytes[bytes: expected], "\(what)")
            }
        }
    }

    @Test(arguments: [
        "bytes=1300000-", "bytes=1300000-1300005", "bytes=99999999999999999999-", "bytes=-0", "bytes=500-499",
        "bytes=1300000-,-0",
    ])
    func anUnsatisfiableRangeIs416WithTheSizeAndAJSONDetail(header: String) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.randomFile("clip.mp4", count: Self.size)
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: header]) { response in
                #expect(response.status == .rangeNotSatisfiable)
                #expect(response.headers[.contentRange] == "bytes */\(Self.size)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try JSONDecoder().decode([String: String].self, from: Data(response.body.readableBytesView))
                #expect(body == ["detail": "Invalid request range (Range: '\(header)')"])
            }
        }
    }

    @Test(arguments: [
        "bytes=abc", "items=0-5", "bytes=", "bytes=-", "bytes=1-2-3", "0-5", "bytes=+1-2", "bytes=0-1;5-6", "bytes=0 -5",
        "bytes=0-0x10", "bytes=,",
    ])
    func aMalformedRangeIsIgnored(header: String) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 5000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: header]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentRange] == nil)
                #expect(Array(buffer: response.body) == bytes)
            }
        }
    }

    @Test func twoRangeHeaderFieldsAreIgnored() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 5000)
        let headers = HTTPFields([HTTPField(name: .range, value: "bytes=0-1"), HTTPField(name: .range, value: "bytes=5-6")])
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(Array(buffer: response.body) == bytes)
            }
        }
    }

    @Test func aMissingFileOrAFolderIs404WithTheCallersMessage() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.directory.appendingPathComponent("folder.mp4"), withIntermediateDirectories: true)
        try await makeMediaApp(folder: folder).test(.router) { client in
            for name in ["missing.mp4", "folder.mp4"] {
                try await client.execute(uri: "/files/\(name)", method: .get, headers: [.range: "bytes=0-1"]) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body) == #"{"detail":"Video file not found"}"#)
                }
            }
        }
    }

    @Test func anEmptyFileIs200WithNoBytesAndAnyRangeIs416() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        try folder.file("empty.mp4", bytes: [])
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/empty.mp4", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == "0")
                #expect(response.body.readableBytes == 0)
            }
            for header in ["bytes=0-0", "bytes=0-", "bytes=-5"] {
                try await client.execute(uri: "/files/empty.mp4", method: .get, headers: [.range: header]) { response in
                    #expect(response.status == .rangeNotSatisfiable)
                    #expect(response.headers[.contentRange] == "bytes */0")
                }
            }
        }
    }
}
