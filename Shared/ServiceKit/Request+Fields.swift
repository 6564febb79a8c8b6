import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The JSON object of the body, as a ``FieldReader``; a body that is not
    /// JSON, or not an object, is a 422 like the original's; one larger than
    /// `maxBytes` is a 413.
    package mutating func jsonFields(maxBytes: Int = 1 << 20) async throws -> FieldReader {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "Request body is too large")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(validation: [.init(loc: ["body"], msg: "JSON decode error", type: "json_invalid")])
        }
        guard case .object(let object) = value else {
            throw APIError(validation: [.init(
                loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from",
                type: "model_attributes_type", input: value
            )])
        }
        return FieldReader(location: "body", values: object)
    }

    /// The query string's parameters (the first of repeated ones) as a ``FieldReader``, decoded
    /// as HTML forms and browsers encode them: `+` is a space, `%2B` a plus.
    package var queryFields: FieldReader {
        var values: [String: JSONValue] = [:]
        for pair in (uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let key = decode(parts[0])
            guard !key.isEmpty, values[key] == nil else { continue }
            values[key] = .string(parts.count > 1 ? decode(parts[1]) : "")
        }
        return FieldReader(location: "query", values: values)
    }
}
