import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// `X-Request-ID`, carried from the client through every service and into the logs.
    package static let requestID = Self("X-Request-ID")!
}

/// Gives every request an id: the caller's `X-Request-ID` when it is sane, a new one
/// otherwise. The id is put in the logger's metadata as `request.id` (so every log
/// line of the request carries it) and echoed in the response's `X-Request-ID`.
package struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let id = Self.acceptable(request.headers[.requestID]) ?? RequestID.generate()
        var context = context
        context.logger[metadataKey: "request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// An incoming id is kept only if it is short and made of safe characters,
    /// so a client cannot inject log lines or huge headers through it.
    static func acceptable(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":")
        }
        return allowed ? value : nil
    }
}

/// Request ids for requests that arrive without one.
package enum RequestID {
    /// A random 128-bit id in lower-case hex.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
