import FormData
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import ServiceKit
import Testing

/// Streaming `multipart/form-data` file parts to disk through a real route: what arrives on disk,
/// and that a refused or broken upload leaves nothing behind.
@Suite struct StreamedFormDataTests {
    static let parseError = #"{"detail":"There was an error parsing the body"}"#
    /// Piece sizes that split every boundary and header at many different places.
    static let tinyPieces = [1, 2, 3, 4, 5, 6, 7]
    /// Tiny pieces with a large one in each cycle: delimiters still split across pieces, but a
    /// 600 KiB body is ~300 pieces instead of ~150 000, which would keep both cores busy for
    /// seconds and starve the timing tests running beside this suite.
    static let mixedPieces = [1, 2, 3, 4, 5, 6, 7, 4093]

    @Test(arguments: [false, true])
    func fieldsAndAMultiMiBFileArriveByteForByte(live: Bool) async throws {
        let video = pseudoRandomBytes(3 * testBatchBytes + 123, seed: 1)
        let body = MultipartBody.make {
            $0.field("title", "Día de playa 🏖")
            $0.file("file", filename: #""clip.mp4""#, contentType: "video/mp4", bytes: video)
            $0.field("description", "")
            $0.field("category_id", "7")
            $0.field("title", "a second title is ignored")
        }
        try await withUploadDirectory { directory in
            let echo = try await makeStreamingApp(directory: directory).test(live ? TestingSetup.live : .router) { client in
                try await client.streamEcho(body)
            }

            #expect(echo.fields["title"] == "Día de playa 🏖")
            #expect(echo.fields["description"] == "")
            #expect(echo.fields["category_id"] == "7")
            let file = try #require(echo.files.first)
            #expect(echo.files.count == 1)
            #expect(file.name == "file")
            #expect(file.filename == "clip.mp4")
            #expect(file.contentType == "video/mp4")
            #expect(file.size == Int64(video.count))
            #expect(file.path.hasPrefix(directory + "/.upload-"))
            #expect(try contents(of: file.path) == Data(video))
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try filesIn(directory) == [URL(fileURLWithPath: file.path).lastPathComponent])
        }
    }

    @Test func aBodyInTinyPiecesGivesTheSameResult() async throws {
        // More than one write batch, built from bodies of one to seven bytes.
        let video = pseudoRandomBytes(6 * 1024, seed: 2) + Array("\r\n--clipset-test-boundar\r\r\n-".utf8)
        let body = MultipartBody.make {
            $0.field("upload_id", "3f2a")
            $0.field("chunk_index", "12")
            $0.file("file", filename: #""chunk.bin""#, bytes: video)
            $0.file("poster", filename: #""p.png""#, contentType: "image/png", bytes: [0x89, 0x50, 0x4E, 0x47])
        }
        try await withUploadDirectory { directory in
            let app = makeStreamingApp(directory: directory)
            let whole = try await app.test(.router) { try await $0.streamEcho(body) }
            let tiny = try await app.test(.router) { try await $0.streamEcho(body, pieces: Self.tinyPieces) }

            #expect(tiny.fields == whole.fields)
            #expect(tiny.fields == ["upload_id": "3f2a", "chunk_index": "12"])
            #expect(tiny.files.map(\.withoutPath) == whole.files.map(\.withoutPath))
            #expect(try tiny.files.map { try contents(of: $0.path) } == [Data(video), Data([0x89, 0x50, 0x4E, 0x47])])
        }
    }

    @Test(arguments: [[1], [2, 3], [7, 5, 3], [4096]])
    func boundaryLookAlikesInsideAFileAreKept(pieces: [Int]) async throws {
        // A delimiter needs a CRLF before it; at the very start of the content the CRLF belongs to
        // the headers, so `--boundary--` there is content too.
        let bytes = Array("--clipset-test-boundary--\r\n\r\n--clipset-test-boundar\r\n\r\r\n--x--clipset-test-boundary--\r\n".utf8)
            + [0x0D, 0x0A, 0x2D, 0x2D, 0x0D] + Array("\r\n-- clipset-test-boundary\r\n".utf8)
        let body = MultipartBody.make {
            $0.file("file", filename: #""tricky.bin""#, bytes: bytes)
            $0.part(headers: [#"Content-Disposition: form-data; name="note""#, "--clipset-test-boundary--: header"], body: Array("ok".utf8))
        }
        try await withUploadDirectory { directory in
            let echo = try await makeStreamingApp(directory: directory).test(.router) { try await $0.streamEcho(body, pieces: pieces) }

            #expect(echo.fields == ["note": "ok"])
            #expect(echo.files.count == 1)
            #expect(try contents(of: try #require(echo.files.first).path) == Data(bytes))
        }
    }

    @Test func twoFilePartsGoToTwoFiles() async throws {
        let first = pseudoRandomBytes(70_000, seed: 3)
        let second = pseudoRandomBytes(1_000, seed: 4)
        let body = MultipartBody.make {
            $0.file("file", filename: #""a.bin""#, bytes: first)
            $0.file("file", filename: #""b.bin""#, contentType: "application/octet-stream", bytes: second)
        }
        try await withUploadDirectory { directory in
            let echo = try await makeStreamingApp(directory: directory).test(.router) { try await $0.streamEcho(body) }

            #expect(echo.files.map(\.filename) == ["a.bin", "b.bin"])
            #expect(echo.files.map(\.contentType) == [nil, "application/octet-stream"])
            #expect(echo.files.map(\.size) == [70_000, 1_000])
            #expect(try echo.files.map { try contents(of: $0.path) } == [Data(first), Data(second)])
            #expect(echo.firstFile == echo.files.first?.path, "file(_:) gives the first of a name")
            #expect(try filesIn(directory).count == 2)
        }
    }

    @Test func anEmptyFilePartIsAnEmptyFile() async throws {
        let body = MultipartBody.make {
            $0.file("file", filename: #""""#, bytes: [])
            $0.field("title", "nothing chosen")
        }
        try await withUploadDirectory { directory in
            let echo = try await makeStreamingApp(directory: directory).test(.router) { try await $0.streamEcho(body) }

            let file = try #require(echo.files.first)
            #expect(file.filename == "")
            #expect(file.size == 0)
            #expect(try contents(of: file.path) == Data())
            #expect(echo.fields == ["title": "nothing chosen"])
        }
    }

    @Test func aFileExactlyAtTheLimitIsAccepted() async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""f.bin""#, bytes: pseudoRandomBytes(1_000, seed: 5)) }
        try await withUploadDirectory { directory in
            let echo = try await makeStreamingApp(directory: directory, maxFileBytes: 1_000).test(.router) {
                try await $0.streamEcho(body)
            }
            #expect(echo.files.map(\.size) == [1_000])
        }
    }

    @Test(arguments: [nil, tinyPieces])
    func aQuotedBoundaryAPreambleAndAnEpilogueAreAccepted(pieces: [Int]?) async throws {
        let body = MultipartBody.make(boundary: "a boundary: with spaces") {
            $0.file("file", filename: #""f.bin""#, bytes: [9, 8, 7])
        }
        let sent = ByteBuffer(string: "A preamble\r\n--a boundary: with\r\n\(String(buffer: body.closed()))an epilogue\r\n--x")
        try await withUploadDirectory { directory in
            let (status, text) = try await makeStreamingApp(directory: directory).test(.router) {
                try await $0.stream(sent, contentType: #"multipart/form-data; boundary="a boundary: with spaces""#, pieces: pieces)
            }
            #expect(status == .ok, "\(text)")
            let echo = try JSONDecoder().decode(StreamEcho.self, from: Data(text.utf8))
            #expect(try echo.files.map { try contents(of: $0.path) } == [Data([9, 8, 7])])
        }
    }

    @Test func aClosingDelimiterWithoutATrailingLineBreakIsEnough() async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""f.bin""#, bytes: [1, 2, 3]) }
        let sent = ByteBuffer(string: String(buffer: body.buffer) + "--\(body.boundary)--")
        try await withUploadDirectory { directory in
            let (status, text) = try await makeStreamingApp(directory: directory).test(.router) {
                try await $0.stream(sent, contentType: body.contentType)
            }
            #expect(status == .ok, "\(text)")
            #expect(try filesIn(directory).count == 1)
        }
    }
}

/// Uploads that are refused: each must leave the directory empty.
@Suite struct StreamedFormDataRefusalTests {
    @Test(arguments: [nil, StreamedFormDataTests.mixedPieces])
    func aFileOverTheLimitIsRefusedAndRemoved(pieces: [Int]?) async throws {
        // The first file is complete on disk, and more than a write batch of the second, when it passes the limit.
        let body = MultipartBody.make {
            $0.file("file", filename: #""small.bin""#, bytes: pseudoRandomBytes(10, seed: 6))
            $0.file("file", filename: #""big.bin""#, bytes: pseudoRandomBytes(2 * testBatchBytes, seed: 7))
        }
        try await expectRefusal(of: body, pieces: pieces, maxFileBytes: Int64(testBatchBytes + testBatchBytes / 2)) { status, text in
            #expect(status == .contentTooLarge)
            #expect(text == #"{"detail":"The file is larger than \#(testBatchBytes + testBatchBytes / 2) bytes"}"#)
        }
    }

    @Test func aFieldOverTheLimitIs413() async throws {
        let body = MultipartBody.make {
            $0.field("title", String(repeating: "a", count: 10))
            $0.file("file", filename: #""a.bin""#, bytes: [1])
            $0.field("description", String(repeating: "b", count: 11))
        }
        try await expectRefusal(of: body, maxFieldBytes: 10) { status, text in
            #expect(status == .contentTooLarge)
            #expect(text == #"{"detail":"The field description is longer than 10 bytes"}"#)
        }
    }

    @Test func moreThanTheMostPartsIs413() async throws {
        let body = MultipartBody.make { body in
            body.file("file", filename: #""a.bin""#, bytes: [1])
            for index in 0..<32 { body.field("f\(index)", "x") }
        }
        try await expectRefusal(of: body) { status, text in
            #expect(status == .contentTooLarge)
            #expect(text == #"{"detail":"The form has more than 32 parts"}"#)
        }
    }

    @Test(arguments: [
        ("cut inside the file", 60),
        ("cut inside the close delimiter", 8),
        ("cut right after the last boundary", 4),
        ("cut after the first hyphen of the close delimiter", 3),
        ("without the close delimiter", 27),
    ], [nil, StreamedFormDataTests.mixedPieces])
    func aTruncatedBodyIs400(_ what: (String, Int), pieces: [Int]?) async throws {
        // More than a write batch, so the file is on disk when the body stops.
        let body = MultipartBody.make {
            $0.field("title", "hello")
            $0.file("file", filename: #""a.bin""#, bytes: pseudoRandomBytes(testBatchBytes + 4_000, seed: 8))
        }
        let complete = body.closed()
        let truncated = complete.getSlice(at: 0, length: complete.readableBytes - what.1)!
        try await expectRefusal(of: truncated, contentType: body.contentType, pieces: pieces) { status, text in
            #expect(status == .badRequest, "\(what.0)")
            #expect(text == StreamedFormDataTests.parseError)
        }
    }

    @Test func aBodyThatStopsAfterAPartBoundaryIs400() async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""a.bin""#, bytes: [1, 2, 3]) }
        let truncated = ByteBuffer(string: String(buffer: body.buffer) + "--\(body.boundary)\r\n")
        try await expectRefusal(of: truncated, contentType: body.contentType) { status, _ in
            #expect(status == .badRequest)
        }
    }

    @Test(arguments: [
        ("no boundary at all", "just some text, no parts"),
        ("only a close delimiter", "--b--\r\n"),
        ("a part without a name", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"),
        ("a file part without a name", "--b\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--b--\r\n"),
        ("a header line without a colon", "--b\r\nContent-Disposition form-data\r\n\r\nx\r\n--b--\r\n"),
        ("a file, then garbage after its boundary", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nx\r\n--bXY\r\n--b--"),
        ("a file, then a part without a name", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--"),
        ("a close delimiter with one hyphen", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nx\r\n--b-x\r\n"),
        // The parser holds a header line whole; the bound is checked piece by piece, so it is loose.
        ("a header line of 200 KiB", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Long: "
            + String(repeating: "y", count: 200 * 1024) + "\r\n\r\nx\r\n--b--\r\n"),
    ])
    func aMalformedBodyIs400(_ what: String, body: String) async throws {
        try await expectRefusal(of: ByteBuffer(string: body), contentType: "multipart/form-data; boundary=b") { status, text in
            #expect(status == .badRequest, "\(what): \(text)")
            #expect(text == StreamedFormDataTests.parseError, "\(what)")
        }
    }

    @Test(arguments: [nil, "application/json", "multipart/form-data", "multipart/mixed; boundary=clipset-test-boundary"])
    func aContentTypeThatIsNotMultipartWithABoundaryIs400(contentType: String?) async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""a.bin""#, bytes: [1]) }
        try await expectRefusal(of: body.closed(), contentType: contentType) { status, text in
            #expect(status == .badRequest)
            #expect(text == StreamedFormDataTests.parseError)
        }
    }

    @Test func aClientThatGoesAwayLeavesNoFile() async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""a.bin""#, bytes: pseudoRandomBytes(700 * 1024, seed: 9)) }
        let cut = body.buffer.getSlice(at: 0, length: 650 * 1024)!
        try await expectRefusal(of: cut, contentType: body.contentType, pieces: [65_536], failing: true) { status, _ in
            #expect(status == .internalServerError)
        }
    }

    @Test func aCancelledUploadLeavesNoFile() async throws {
        let body = MultipartBody.make { $0.file("file", filename: #""a.bin""#, bytes: pseudoRandomBytes(2 * testBatchBytes, seed: 10)) }
        try await withUploadDirectory { directory in
            let (stream, source) = AsyncStream.makeStream(of: ByteBuffer.self)
            let request = Request(head: uploadHead(contentType: body.contentType), body: RequestBody(asyncSequence: stream))
            let upload = Task {
                try await request.streamFormData(
                    into: directory, maxFileBytes: 1 << 30, tooLarge: { APIError(.contentTooLarge, "too large") },
                    threadPool: .singleton, writeBatchBytes: testBatchBytes)
            }
            // The first write batch makes the file; then the body stalls, as a slow client's does.
            source.yield(body.buffer.getSlice(at: 0, length: testBatchBytes + testBatchBytes / 2)!)
            try await waitUntil { try filesIn(directory).count == 1 }
            upload.cancel()

            await #expect(throws: (any Error).self) { try await upload.value }
            #expect(try filesIn(directory).isEmpty)
            source.finish()
        }
    }

    @Test func removeFilesDeletesWhatAnAcceptedUploadWrote() async throws {
        let body = MultipartBody.make {
            $0.file("file", filename: #""a.bin""#, bytes: [1, 2])
            $0.file("poster", filename: #""b.png""#, bytes: [3])
        }
        try await withUploadDirectory { directory in
            let request = Request(head: uploadHead(contentType: body.contentType), body: RequestBody(buffer: body.closed()))
            let form = try await request.streamFormData(
                into: directory, maxFileBytes: 10, tooLarge: { APIError(.contentTooLarge, "too large") }, threadPool: .singleton)
            #expect(try filesIn(directory).count == 2)

            await form.removeFiles()
            #expect(try filesIn(directory).isEmpty)
        }
    }

    /// Sends `body` and checks the refusal with `check`, then that no file is left.
    private func expectRefusal(
        of body: MultipartBody, pieces: [Int]? = nil, maxFieldBytes: Int = 64 * 1024, maxFileBytes: Int64 = 1 << 30,
        _ check: (HTTPResponse.Status, String) -> Void
    ) async throws {
        try await expectRefusal(
            of: body.closed(), contentType: body.contentType, pieces: pieces, maxFieldBytes: maxFieldBytes,
            maxFileBytes: maxFileBytes, check)
    }

    private func expectRefusal(
        of body: ByteBuffer, contentType: String?, pieces: [Int]? = nil, failing: Bool = false,
        maxFieldBytes: Int = 64 * 1024, maxFileBytes: Int64 = 1 << 30,
        _ check: (HTTPResponse.Status, String) -> Void
    ) async throws {
        try await withUploadDirectory { directory in
            let app = makeStreamingApp(directory: directory, maxFieldBytes: maxFieldBytes, maxFileBytes: maxFileBytes)
            let (status, text) = try await app.test(.router) { client in
                try await client.stream(body, contentType: contentType, pieces: pieces, failing: failing)
            }
            check(status, text)
            #expect(try filesIn(directory).isEmpty, "every file made is removed")
        }
    }
}

// MARK: - The streaming route

/// What the streaming route read, echoed back as JSON.
struct StreamEcho: ResponseCodable {
    /// One file part, as ``StreamedFile``.
    struct File: Codable, Equatable {
        var name: String
        var filename: String
        var contentType: String?
        var path: String
        var size: Int64

        /// The file without its path, which differs from upload to upload.
        var withoutPath: File {
            var copy = self
            copy.path = ""
            return copy
        }
    }

    /// `field(_:)` of every field name sent.
    var fields: [String: String]
    var files: [File]
    /// The path of `file("file")`.
    var firstFile: String?
}

/// A router with the Clipset error middleware and one route, `POST /upload`, that streams its body
/// into `directory`. `?pieces=1,2,3` hands the body to the parser in pieces of those sizes, in turn;
/// `&fail=1` ends it with an error, as a connection that drops does.
func makeStreamingApp(directory: String, maxFieldBytes: Int = 64 * 1024, maxFileBytes: Int64 = 1 << 30) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.post("/upload") { request, _ -> StreamEcho in
        var request = request
        let query = request.uri.queryParameters
        if let sizes = query.get("pieces")?.split(separator: ",").compactMap({ Int($0) }) {
            let whole = try await request.body.collect(upTo: .max)
            let pieces = Pieces(buffer: whole, sizes: sizes, failing: query.get("fail") != nil)
            request = Request(head: request.head, body: RequestBody(asyncSequence: pieces))
        }
        let form = try await request.streamFormData(
            into: directory, maxFieldBytes: maxFieldBytes, maxFileBytes: maxFileBytes,
            tooLarge: { APIError(.contentTooLarge, "The file is larger than \(maxFileBytes) bytes") },
            threadPool: .singleton, writeBatchBytes: testBatchBytes)
        let names = Set(form.fields.map(\.name))
        return StreamEcho(
            fields: Dictionary(uniqueKeysWithValues: names.compactMap { name in form.field(name).map { (name, $0) } }),
            files: form.files.map {
                .init(name: $0.name, filename: $0.filename, contentType: $0.contentType, path: $0.path, size: $0.size)
            },
            firstFile: form.file("file")?.path
        )
    }
    return Application(router: router)
}

/// A body delivered in pieces of the given sizes, in turn; with `failing`, it ends in an error.
struct Pieces: AsyncSequence, Sendable {
    struct ConnectionDropped: Error {}

    let buffer: ByteBuffer
    let sizes: [Int]
    let failing: Bool

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ByteBuffer
        let sizes: [Int]
        let failing: Bool
        var turn = 0

        mutating func next() async throws -> ByteBuffer? {
            guard rest.readableBytes > 0 else {
                if failing { throw ConnectionDropped() }
                return nil
            }
            defer { turn += 1 }
            return rest.readSlice(length: Swift.min(sizes[turn % sizes.count], rest.readableBytes))
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(rest: buffer, sizes: sizes, failing: failing)
    }
}

extension TestClientProtocol {
    /// Posts `body` to the streaming route and returns the response's status and body text.
    func stream(
        _ body: ByteBuffer, contentType: String?, pieces: [Int]? = nil, failing: Bool = false
    ) async throws -> (status: HTTPResponse.Status, text: String) {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        var query = pieces.map { "?pieces=" + $0.map(String.init).joined(separator: ",") } ?? ""
        if failing { query += "&fail=1" }
        return try await execute(uri: "/upload" + query, method: .post, headers: headers, body: body) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Posts a well-formed body that must be accepted, and decodes what the route read.
    func streamEcho(_ body: MultipartBody, pieces: [Int]? = nil) async throws -> StreamEcho {
        let (status, text) = try await stream(body.closed(), contentType: body.contentType, pieces: pieces)
        guard status == .ok else { throw UnexpectedResponse(description: "\(status): \(text)") }
        return try JSONDecoder().decode(StreamEcho.self, from: Data(text.utf8))
    }
}

// MARK: - Helpers

/// Runs `body` with a new empty directory, removed afterwards.
func withUploadDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("formdata-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// The names in `directory`, hidden ones included.
func filesIn(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory)
}

func contents(of path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// `count` bytes that look random and are the same for the same `seed`.
/// The write batch of the test apps: small, so "more than a batch" stays cheap in a debug build
/// (parsing megabytes there keeps both cores busy for seconds and starves timing tests beside).
let testBatchBytes = 16 * 1024

func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// The head of a `POST /upload` with this `Content-Type`.
func uploadHead(contentType: String) -> HTTPRequest {
    HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/upload", headerFields: [.contentType: contentType])
}

/// Waits, up to ten seconds, until `condition` holds.
func waitUntil(_ condition: () throws -> Bool) async throws {
    var tries = 0
    while try !condition(), tries < 1_000 {
        try await Task.sleep(for: .milliseconds(10))
        tries += 1
    }
    #expect(try condition())
}
