import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Parsing well-formed `multipart/form-data` uploads through a real route.
@Suite struct FormDataTests {
    @Test func textFieldsAreReadAsUTF8() async throws {
        let body = MultipartBody.make {
            $0.field("title", "Día de playa 🏖")
            $0.field("empty", "")
        }
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body, query: "?fields=title,empty,missing&files=title")

            #expect(echo.fields == ["title": "Día de playa 🏖", "empty": ""])
            #expect(echo.files.isEmpty, "a text field is not a file")
            #expect(echo.parts.map(\.filename) == [nil, nil])
        }
    }

    @Test func aBinaryFileArrivesByteForByte() async throws {
        // Every byte value, and bytes that look like the start of a boundary.
        let bytes: [UInt8] = Array(0...255) + Array("\r\n--clipset-test\r\n--".utf8) + (0...255).reversed()
        let body = MultipartBody.make {
            $0.file("file", filename: #""all bytes.bin""#, contentType: "application/octet-stream", bytes: bytes)
        }
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body, query: "?files=file&fields=file")

            let part = try #require(echo.parts.first)
            #expect(part.body == Data(bytes))
            #expect(part.name == "file")
            #expect(part.filename == "all bytes.bin")
            #expect(part.contentType == "application/octet-stream")
            #expect(echo.files == ["file"])
            #expect(echo.fields.isEmpty, "a file is not a text field")
        }
    }

    @Test func twoFilesAndAFieldKeepTheirOrder() async throws {
        let body = MultipartBody.make {
            $0.file("avatar", filename: #""me.png""#, contentType: "image/png", bytes: [0x89, 0x50, 0x4E, 0x47])
            $0.field("caption", "hello")
            $0.file("banner", filename: #""wide.jpg""#, contentType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF])
            $0.file("avatar", filename: #""second.png""#, bytes: [1])
        }
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body, query: "?files=avatar,banner,caption&fields=caption")

            #expect(echo.parts.map(\.name) == ["avatar", "caption", "banner", "avatar"])
            #expect(echo.parts.map(\.filename) == ["me.png", nil, "wide.jpg", "second.png"])
            #expect(echo.parts.map(\.contentType) == ["image/png", nil, "image/jpeg", nil])
            #expect(echo.parts[2].body == Data([0xFF, 0xD8, 0xFF]))
            #expect(echo.files == ["avatar", "banner"])
            #expect(echo.fields == ["caption": "hello"])
        }
    }

    @Test(arguments: [
        (#""my holiday photo.jpg""#, "my holiday photo.jpg"),
        (#""say \"cheese\".png""#, #"say "cheese".png"#),
        (#""back\\slash.png""#, #"back\slash.png"#),
        (#""semi; colon=1.png""#, "semi; colon=1.png"),
        (#""café 東京.png""#, "café 東京.png"),
        ("bare.png", "bare.png"),
        (#""""#, ""),
    ])
    func filenamesAreUnquoted(sent: String, parsed: String) async throws {
        let body = MultipartBody.make { $0.file("file", filename: sent, bytes: Array("x".utf8)) }
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body, query: "?files=file")
            #expect(echo.parts.first?.filename == parsed)
            #expect(echo.files == ["file"], "a part with a filename is a file, even an empty one")
        }
    }

    @Test func headerNamesAndParametersIgnoreCaseAndOrder() async throws {
        let body = MultipartBody.make {
            $0.part(headers: [#"content-disposition: FORM-DATA; FileName="a.txt"; NAME="doc""#, "CONTENT-TYPE: text/plain"], body: [65])
        }
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body)
            #expect(echo.parts == [.init(name: "doc", filename: "a.txt", contentType: "text/plain", body: Data([65]))])
        }
    }

    @Test func aQuotedBoundaryAPreambleAndAnEpilogueAreAccepted() async throws {
        let body = MultipartBody.make(boundary: "a boundary: with spaces") { $0.field("name", "value") }
        let sent = ByteBuffer(string: "This preamble is ignored.\r\n\(String(buffer: body.closed()))and so is this epilogue")
        try await makeApp().test(.router) { client in
            let (status, text) = try await client.upload(
                sent, contentType: #"Multipart/Form-Data; charset=utf-8; boundary="a boundary: with spaces""#)
            #expect(status == .ok, "\(text)")
            let echo = try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
            #expect(echo.parts == [.init(name: "name", body: Data("value".utf8))])
        }
    }

    @Test func aBodyExactlyAtTheLimitIsAccepted() async throws {
        let body = MultipartBody.make {
            $0.file("file", filename: #""f.bin""#, bytes: Array(repeating: 7, count: 500))
        }
        let size = body.closed().readableBytes
        try await makeApp().test(.router) { client in
            let echo = try await client.echo(body, query: "?limit=\(size)&chunked=1")
            #expect(echo.parts.first?.body.count == 500)
        }
    }
}
