import CHiredis

/// A reply from Redis.
///
/// An error reply at the top level is thrown as a ``RedisError`` with code `.server`; inside an
/// array (a Lua table, an `EXEC` result) it stays a value, ``error(_:)``.
package enum RedisValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG`.
    case status(String)
    /// A bulk string: arbitrary bytes.
    case bulk([UInt8])
    /// An integer reply.
    case integer(Int)
    /// A multi-bulk reply.
    case array([RedisValue])
    /// A null bulk string or null array (a missing key, a `SET ... NX` that did not set).
    case null
    /// An error reply nested inside an array.
    case error(String)

    /// The text of a status or bulk reply (bulk bytes decoded as UTF-8, invalid bytes replaced).
    package var string: String? {
        switch self {
        case .status(let text): text
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes of a bulk or status reply.
    package var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// An integer reply, or a bulk/status reply holding a decimal integer (what `GET` of a counter returns).
    package var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulk, .status: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of an array reply.
    package var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the null reply.
    package var isNull: Bool { self == .null }

    /// Copies a hiredis reply tree into Swift values; the caller still frees the reply.
    init(reply: UnsafePointer<redisReply>) {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(reply.str, count: reply.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(reply.str, count: reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(reply.str, count: reply.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int(reply.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(reply.elements)
            for index in 0..<reply.elements {
                if let element = reply.element?[index] {
                    elements.append(RedisValue(reply: element))
                } else {
                    elements.append(.null)
                }
            }
            self = .array(elements)
        default:
            self = .null
        }
    }

    /// Copies `count` bytes of a reply's string (which may contain NULs).
    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
