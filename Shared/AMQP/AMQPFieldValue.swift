/// A value of an AMQP field table: queue arguments and message headers.
///
/// Integers of every width that arrive from the broker are read as ``int(_:)``
/// and written as a 64-bit signed integer (`l`), which RabbitMQ accepts
/// wherever it expects a number (`x-delivery-limit`, `x-max-length`, …).
package indirect enum AMQPFieldValue: Sendable, Hashable {
    /// A UTF-8 string (`S`).
    case string(String)
    /// An integer of any width.
    case int(Int64)
    /// A boolean (`t`).
    case bool(Bool)
    /// A floating-point number (`f` or `d`).
    case double(Double)
    /// A timestamp in seconds since 1970 (`T`).
    case timestamp(UInt64)
    /// Raw bytes (`x`).
    case bytes([UInt8])
    /// A nested table (`F`), as in the `x-death` header.
    case table([String: AMQPFieldValue])
    /// An array (`A`).
    case array([AMQPFieldValue])
    /// An empty value (`V`), or a kind this module does not read (decimal).
    case void

    /// The value as an integer, if it is one.
    package var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    /// The value as a string, if it is one.
    package var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }
}

extension AMQPFieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    /// A string value.
    package init(stringLiteral value: String) { self = .string(value) }
    /// An integer value.
    package init(integerLiteral value: Int64) { self = .int(value) }
    /// A boolean value.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}
