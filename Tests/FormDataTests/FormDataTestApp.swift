import FormData
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit

/// A `multipart/form-data` body written byte by byte, so each test controls exactly what is sent.
struct MultipartBody {
    let boundary: String
    private(set) var buffer = ByteBuffer()

    init(boundary: String = "clipset-test-boundary") {
        self.boundary = boundary
    }

    /// A body built by `build`.
    static func make(boundary: String = "clipset-test-boundary", _ build: (inout MultipartBody) -> Void) -> MultipartBody {
        var body = MultipartBody(boundary: boundary)
        build(&body)
        return body
    }

    /// The request's `Content-Type`.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Adds a part with raw header lines.
    mutating func part(headers: [String], body: [UInt8]) {
        buffer.writeString("--\(boundary)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n")
        buffer.writeBytes(body)
        buffer.writeString("\r\n")
    }

    /// Adds a text field.
    mutating func field(_ name: String, _ value: String) {
        part(headers: [#"Content-Disposition: form-data; name="\#(name)""#], body: Array(value.utf8))
    }

    /// Adds a file; `filename` is written as it is, so a test can quote and escape it.
    mutating func file(_ name: String, filename: String, contentType: String? = nil, bytes: [UInt8]) {
        let disposition = #"Content-Disposition: form-data; name="\#(name)"; filename=\#(filename)"#
        part(headers: [disposition] + (contentType.map { ["Content-Type: \($0)"] } ?? []), body: bytes)
    }

    /// The body with its close delimiter.
    func closed() -> ByteBuffer {
        var closed = buffer
        closed.writeString("--\(boundary)--\r\n")
        return closed
    }
}

/// What the test route parsed, echoed back as JSON.
struct Echo: ResponseCodable, Equatable {
    /// One parsed part.
    struct Part: Codable, Equatable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: Data

        init(name: String, filename: String? = nil, contentType: String? = nil, body: Data) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.body = body
        }
    }

    var parts: [Part]
    /// `FormData.field(_:)` of each name asked for in the `fields` query parameter.
    var fields: [String: String]
    /// The names `FormData.file(_:)` found, of those asked for in the `files` query parameter.
    var files: [String]
}

/// A router with the Clipset error middleware and one upload route: `POST /upload?limit=N`
/// (`&chunked=1` drops the Content-Length, as a chunked upload has none).
func makeApp() -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.post("/upload") { request, _ -> Echo in
        var request = request
        if request.uri.queryParameters.get("chunked") != nil {
            var head = request.head
            head.headerFields[.contentLength] = nil
            request = Request(head: head, body: request.body)
        }
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 10_000
        let form = try await request.collectFormData(
            maxBodyBytes: limit, tooLarge: APIError(.contentTooLarge, "The upload is larger than \(limit) bytes"))
        let query = request.uri.queryParameters
        /// The comma-separated names in the query parameter `key`.
        func asked(_ key: String) -> [String] { query.get(key)?.split(separator: ",").map(String.init) ?? [] }
        return Echo(
            parts: form.parts.map {
                .init(name: $0.name, filename: $0.filename, contentType: $0.contentType, body: Data($0.body.readableBytesView))
            },
            fields: Dictionary(uniqueKeysWithValues: asked("fields").compactMap { name in form.field(name).map { (name, $0) } }),
            files: asked("files").filter { form.file($0) != nil }
        )
    }
    return Application(router: router)
}

extension TestClientProtocol {
    /// Posts `body` to the upload route and returns the response's status and body text.
    func upload(
        _ body: ByteBuffer, contentType: String?, query: String = ""
    ) async throws -> (status: HTTPResponse.Status, text: String) {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: "/upload" + query, method: .post, headers: headers, body: body) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Posts a well-formed body that must be accepted, and decodes what the route parsed.
    func echo(_ body: MultipartBody, query: String = "") async throws -> Echo {
        let (status, text) = try await upload(body.closed(), contentType: body.contentType, query: query)
        guard status == .ok else { throw UnexpectedResponse(description: "\(status): \(text)") }
        return try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
    }
}

/// The upload route answered something other than 200.
struct UnexpectedResponse: Error, CustomStringConvertible {
    let description: String
}
