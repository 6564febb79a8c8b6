import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The one error type at Clipset's HTTP edge.
///
/// Every error response has the Clipset shape `{"detail": ...}`: a message for
/// ordinary errors, a list of field problems for validation errors (422).
/// Domain errors convert to this type; anything else becomes a logged 500.
package struct APIError: Error, HTTPResponseError, Sendable {
    /// One problem with one field of a request, in the list of a 422.
    package struct FieldProblem: Codable, Sendable, Equatable {
        /// Where the problem is, e.g. `["query", "page"]`.
        package var loc: [String]
        /// What is wrong, for a person.
        package var msg: String
        /// A machine-readable kind, e.g. `value_error`.
        package var type: String
        /// The value that was refused, when there was one.
        package var input: JSONValue?

        package init(loc: [String], msg: String, type: String = "value_error", input: JSONValue? = nil) {
            self.loc = loc
            self.msg = msg
            self.type = type
            self.input = input
        }
    }

    /// The body of an error: a message or a list of field problems.
    package enum Detail: Sendable, Equatable {
        case message(String)
        case fields([FieldProblem])
    }

    package let status: HTTPResponse.Status
    package let detail: Detail
    /// Extra headers, e.g. `Retry-After` on a 429 or 503.
    package private(set) var headers: HTTPFields

    package init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .message(message)
        self.headers = headers
    }

    package init(validation problems: [FieldProblem]) {
        self.status = .unprocessableContent
        self.detail = .fields(problems)
        self.headers = [:]
    }

    /// The same error with `extra` headers added (existing ones of the same name kept).
    package func adding(headers extra: HTTPFields) -> APIError {
        var copy = self
        for field in extra where copy.headers[field.name] == nil { copy.headers[field.name] = field.value }
        return copy
    }

    /// A 503 for a dependency that is down, telling the client when to retry.
    package static func unavailable(_ message: String, retryAfterSeconds: Int = 5) -> APIError {
        APIError(.serviceUnavailable, message, headers: [.retryAfter: String(retryAfterSeconds)])
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let body = try JSONEncoder().encode(Body(detail: detail))
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private struct Body: Encodable {
        let detail: Detail

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch detail {
            case .message(let message): try container.encode(message, forKey: .detail)
            case .fields(let problems): try container.encode(problems, forKey: .detail)
            }
        }

        enum CodingKeys: String, CodingKey { case detail }
    }
}
