import Hummingbird
import HummingbirdTesting
import Testing

/// Bodies that are refused: too large, not multipart, malformed, truncated.
@Suite struct FormDataRefusalTests {
    static let parseError = #"{"detail":"There was an error parsing the body"}"#

    /// A body with one 4000-byte file.
    static func bigBody() -> MultipartBody {
        MultipartBody.make { $0.file("file", filename: #""big.bin""#, bytes: Array(repeating: 0xAB, count: 4000)) }
    }

    @Test(arguments: ["", "&chunked=1"])
    func aBodyOverTheLimitGetsTheCallersError(chunked: String) async throws {
        let body = Self.bigBody()
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(body.closed(), contentType: body.contentType, query: "?limit=1000" + chunked)
            #expect(status == .contentTooLarge)
            #expect(text == #"{"detail":"The upload is larger than 1000 bytes"}"#)
        }
    }

    @Test func oneByteOverTheLimitIsTooLarge() async throws {
        let body = Self.bigBody()
        let limit = body.closed().readableBytes - 1
        try await makeApp().test(.router) { client in
            let (status, _) = try await client.upload(body.closed(), contentType: body.contentType, query: "?limit=\(limit)&chunked=1")
            #expect(status == .contentTooLarge)
        }
    }

    @Test(arguments: [
        nil,
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        #"multipart/form-data; boundary=""#,
        "multipart/mixed; boundary=clipset-test-boundary",
        "multipart/form-data; boundary=" + String(repeating: "b", count: 71),
    ] as [String?])
    func aContentTypeThatIsNotMultipartWithABoundaryIs400(contentType: String?) async throws {
        let body = MultipartBody.make { $0.field("title", "hello") }
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(body.closed(), contentType: contentType)
            #expect(status == .badRequest)
            #expect(text == Self.parseError)
        }
    }

    @Test(arguments: [
        ("cut inside a file", 60),
        ("cut inside the close delimiter", 8),
        ("without the close delimiter", 27),
    ])
    func aTruncatedBodyIs400(_ what: String, bytesCut: Int) async throws {
        let body = MultipartBody.make {
            $0.field("title", "hello")
            $0.file("file", filename: #""a.bin""#, bytes: Array(repeating: 0x42, count: 100))
        }
        let complete = body.closed()
        let truncated = complete.getSlice(at: 0, length: complete.readableBytes - bytesCut) ?? ByteBuffer()
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(truncated, contentType: body.contentType)
            #expect(status == .badRequest, "\(what)")
            #expect(text == Self.parseError)
        }
    }

    @Test func aBodyThatStopsAfterABoundaryIs400() async throws {
        let body = MultipartBody.make { $0.field("title", "hello") }
        let truncated = ByteBuffer(string: String(buffer: body.buffer) + "--\(body.boundary)\r\n")
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(truncated, contentType: body.contentType)
            #expect(status == .badRequest)
            #expect(text == Self.parseError)
        }
    }

    @Test(arguments: [
        ("no boundary at all", "just some text, no parts"),
        ("a part without a name", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"),
        ("a part without a Content-Disposition", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n"),
        ("an unterminated quoted name", "--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nx\r\n--b--\r\n"),
        ("a header line without a colon", "--b\r\nContent-Disposition form-data\r\n\r\nx\r\n--b--\r\n"),
        ("garbage after a boundary", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bXY\r\n--b--"),
    ])
    func aMalformedBodyIs400(_ what: String, body: String) async throws {
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(ByteBuffer(string: body), contentType: "multipart/form-data; boundary=b")
            #expect(status == .badRequest, "\(what): \(text)")
            #expect(text == Self.parseError, "\(what)")
        }
    }
}
