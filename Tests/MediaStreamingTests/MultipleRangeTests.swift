import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// Several ranges in one `Range` header: `multipart/byteranges`, coalescing, and the limit.
@Suite struct MultipleRangeTests {
    /// One part of a `multipart/byteranges` body.
    struct Part: Equatable {
        var contentType: String
        var contentRange: String
        var bytes: [UInt8]
    }

    /// Splits a `multipart/byteranges` body by the boundary of its `Content-Type`.
    static func parts(of body: ByteBuffer, contentType: String) throws -> [Part] {
        let boundary = try #require(contentType.split(separator: "boundary=").last.map(String.init))
        let bytes = Array(buffer: body)
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        while let found = bytes[index...].firstRange(of: delimiter) {
            starts.append(found.lowerBound)
            index = found.upperBound
        }
        #expect(Array(bytes[starts.last!...]) == Array("--\(boundary)--\r\n".utf8))
        return try zip(starts, starts.dropFirst()).map { start, next in
            // Each part's bytes end before the CRLF that belongs to the next delimiter.
            let part = Array(bytes[(start + delimiter.count)..<(next - 2)])
            let split = try #require(part.firstRange(of: Array("\r\n\r\n".utf8)))
            let headerLines = String(decoding: part[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n")
            func header(_ name: String) -> String {
                headerLines.first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) } ?? ""
            }
            return Part(contentType: header("Content-Type"), contentRange: header("Content-Range"), bytes: Array(part[split.upperBound...]))
        }
    }

    @Test func twoRangesAreAMultipartBodyInFileOrder() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 700_000)
        try await makeMediaApp(folder: folder, chunkSize: 65_536).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: "bytes=600000-650000, 0-9, -5"]) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == nil)
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                let contentType = try #require(response.headers[.contentType])
                #expect(contentType.hasPrefix("multipart/byteranges; boundary="))
                let parts = try Self.parts(of: response.body, contentType: contentType)
                #expect(parts == [
                    Part(contentType: "video/mp4", contentRange: "bytes 0-9/700000", bytes: bytes[bytes: 0...9]),
                    Part(contentType: "video/mp4", contentRange: "bytes 600000-650000/700000", bytes: bytes[bytes: 600_000...650_000]),
                    Part(contentType: "video/mp4", contentRange: "bytes 699995-699999/700000", bytes: bytes[bytes: 699_995...699_999]),
                ])
            }
        }
    }

    @Test(arguments: [
        ("overlapping", "bytes=0-99,50-149", 0...149),
        ("adjacent", "bytes=10-19,20-29", 10...29),
        ("a small gap", "bytes=0-9,40-49", 0...49),
        ("one unsatisfiable among them", "bytes=100-199,9000-9100", 100...199),
    ])
    func rangesThatMergeIntoOneAreAPlain206(_ what: String, header: String, expected: ClosedRange<Int>) async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 5000)
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: header]) { response in
                #expect(response.status == .partialContent, "\(what)")
                #expect(response.headers[.contentType] == "video/mp4")
                #expect(response.headers[.contentRange] == "bytes \(expected.lowerBound)-\(expected.upperBound)/5000")
                #expect(Array(buffer: response.body) == bytes[bytes: expected])
            }
        }
    }

    @Test func moreThanSixteenPartsIsTheWholeFile() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let bytes = try folder.randomFile("clip.mp4", count: 5000)
        let header = "bytes=" + (0..<17).map { "\($0 * 200)-\($0 * 200 + 1)" }.joined(separator: ",")
        try await makeMediaApp(folder: folder).test(.router) { client in
            try await client.execute(uri: "/files/clip.mp4", method: .get, headers: [.range: header]) { response in
                #expect(response.status == .ok)
                #expect(Array(buffer: response.body) == bytes)
            }
        }
    }
}
