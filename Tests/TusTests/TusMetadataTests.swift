import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport
import Tus

/// `Upload-Metadata`: unique keys, base64 values; anything else is a 400 before any file.
@Suite struct TusMetadataTests {
    @Test func wellFormedMetadataIsParsed() throws {
        let metadata = try #require(TusMetadata(header: "title SGVsbG8gd29ybGQ=,empty,blank ,category_id MTI="))
        #expect(metadata["title"] == "Hello world")
        #expect(metadata["category_id"] == "12")
        #expect(metadata["empty"] == "")
        #expect(metadata["blank"] == "")
        #expect(metadata["missing"] == nil)
        #expect(metadata.header == "blank,category_id MTI=,empty,title SGVsbG8gd29ybGQ=")
        #expect(TusMetadata(header: "")?.values.isEmpty == true)
        #expect(TusMetadata(header: "a YQ==, b Yg==")?["b"] == "b")
    }

    @Test(arguments: [
        "title not-base64!", "title YQ", "title YQ== extra", "title YQ==,title Yg==", "title YQ==,,b Yg==",
        ",", "tïtle YQ==",
    ])
    func malformedMetadataIsRefused(_ header: String) {
        #expect(TusMetadata(header: header) == nil)
    }

    @Test func theServerEchoesMetadataAndRefusesMalformedMetadata() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        try await harness.app().test(.router) { client in
            let header = metadataHeader(["title": "Été à Paris", "description": "", "category_id": "3"])
            let location = try await client.createUpload(length: 1, metadata: header)
            let head = try await client.head(location)
            #expect(head.headers[TusHeader.uploadMetadata] == "category_id Mw==,description,title \(Data("Été à Paris".utf8).base64EncodedString())")
            #expect(try await client.patch(location, offset: 0, bytes: [0]).status == .noContent)
            #expect(harness.hooks.completions.first?.title == "Été à Paris")

            for malformed in ["title !!!", "title YQ==,title Yg==", "a b c"] {
                let response = try await client.create(length: 1, metadata: malformed)
                #expect(response.status == .badRequest, "\(malformed)")
                #expect(response.detail == "Upload-Metadata must be comma-separated 'key base64value' pairs with unique keys")
            }
            #expect(try harness.uploadFiles().count == 1)
        }
    }

    @Test func expiryDatesAreRFC9110() throws {
        let date = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.string(from: date) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.date(from: "Sun, 06 Nov 1994 08:49:37 GMT") == date)
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}
