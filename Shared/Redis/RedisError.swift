import CHiredis

/// A failure of a Redis call: a connection problem reported by hiredis, or an error reply from the server.
///
/// Callers decide on retries with ``isRetriable``; ``RedisClient`` itself retries a retriable
/// failure once on a fresh connection.
package struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// Reading from or writing to the socket failed, including a command timeout (hiredis `REDIS_ERR_IO`).
        package static let io = Code("io")
        /// The server closed the connection (hiredis `REDIS_ERR_EOF`).
        package static let endOfFile = Code("endOfFile")
        /// The server's reply could not be parsed (hiredis `REDIS_ERR_PROTOCOL`).
        package static let protocolError = Code("protocolError")
        /// hiredis ran out of memory (hiredis `REDIS_ERR_OOM`).
        package static let outOfMemory = Code("outOfMemory")
        /// Any other hiredis failure (hiredis `REDIS_ERR_OTHER`).
        package static let other = Code("other")
        /// No connection could be opened to the server.
        package static let connectionFailed = Code("connectionFailed")
        /// The server answered with an error reply (`WRONGTYPE`, `NOSCRIPT`, `ERR ...`).
        package static let server = Code("server")
        /// The configuration or URL is invalid.
        package static let invalidConfiguration = Code("invalidConfiguration")
        /// The client was shut down.
        package static let shutdown = Code("shutdown")

        package var description: String { name }
    }

    /// The kind of failure.
    package let code: Code
    /// What hiredis or the server said.
    package let message: String

    /// Creates an error of the given kind.
    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the same command may succeed on another connection: I/O errors, EOF and failed
    /// connects are; error replies from the server (`WRONGTYPE`) and protocol errors are not.
    package var isRetriable: Bool {
        code == .io || code == .endOfFile || code == .connectionFailed
    }

    /// The first word of a server error reply (`WRONGTYPE`, `NOSCRIPT`, `ERR`), `nil` for other errors.
    package var serverErrorPrefix: String? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    package var description: String { "RedisError.\(code): \(message)" }

    /// The error recorded on a hiredis context after a failed call.
    ///
    /// Call only on the thread that made the failed call, before the context is used again.
    static func context(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let message = String(cString: clipset_redis_errstr(context))
        switch context.pointee.err {
        case REDIS_ERR_IO: return RedisError(code: .io, message: message)
        case REDIS_ERR_EOF: return RedisError(code: .endOfFile, message: message)
        case REDIS_ERR_PROTOCOL: return RedisError(code: .protocolError, message: message)
        case REDIS_ERR_OOM: return RedisError(code: .outOfMemory, message: message)
        default: return RedisError(code: .other, message: message)
        }
    }
}
