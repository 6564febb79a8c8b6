import CRabbitMQ

/// C memory for the arguments of one call into rabbitmq-c, freed when the call returns.
///
/// rabbitmq-c takes strings, bodies and field tables as pointers it only reads
/// during the call. Copying them here, instead of nesting `withUTF8` closures,
/// lets one call use any number of them and guarantees none outlives the
/// scope of ``with(_:)``. Used only on a connection's thread, never shared.
final class AMQPScopedMemory {
    private var allocations: [UnsafeMutableRawPointer] = []

    private init() {}

    /// Runs `body` with a fresh scope and frees everything it allocated afterwards.
    static func with<T>(_ body: (AMQPScopedMemory) throws -> T) rethrows -> T {
        let memory = AMQPScopedMemory()
        defer { for allocation in memory.allocations { allocation.deallocate() } }
        return try body(memory)
    }

    /// Uninitialized memory for `count` values of `type`, freed with the scope.
    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment
        )
        allocations.append(raw)
        return raw.bindMemory(to: type, capacity: max(count, 1))
    }

    /// A NUL-terminated copy of `string` (rabbitmq-c's `char const *` parameters).
    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let pointer = allocate(CChar.self, count: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return UnsafePointer(pointer)
    }

    /// A copy of `string` as `amqp_bytes_t` (NUL-terminated too, though the length rules).
    func bytes(_ string: String) -> amqp_bytes_t {
        let count = string.utf8.count
        return amqp_bytes_t(len: count, bytes: UnsafeMutableRawPointer(mutating: cString(string)))
    }

    /// A copy of `bytes` as `amqp_bytes_t`.
    func bytes(_ bytes: [UInt8]) -> amqp_bytes_t {
        let pointer = allocate(UInt8.self, count: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return amqp_bytes_t(len: bytes.count, bytes: UnsafeMutableRawPointer(pointer))
    }

    /// A field table holding `values`; `amqp_empty_table` when there are none.
    func table(_ values: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !values.isEmpty else { return amqp_empty_table }
        let entries = allocate(amqp_table_entry_t.self, count: values.count)
        // Sorted, so the same arguments always encode to the same bytes.
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            (entries + index).initialize(to: amqp_table_entry_t(key: bytes(key), value: field(value)))
        }
        return amqp_table_t(num_entries: Int32(values.count), entries: entries)
    }

    /// One field value, with its strings and nested tables copied into the scope.
    private func field(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let string):
            field.kind = kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = bytes(string)
        case .int(let int):
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = int
        case .bool(let bool):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = bool ? 1 : 0
        case .double(let double):
            field.kind = kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = double
        case .timestamp(let seconds):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = seconds
        case .bytes(let raw):
            field.kind = kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = bytes(raw)
        case .table(let nested):
            field.kind = kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = table(nested)
        case .array(let elements):
            let entries = allocate(amqp_field_value_t.self, count: elements.count)
            for (index, element) in elements.enumerated() { (entries + index).initialize(to: self.field(element)) }
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            field.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: entries)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }

    private func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }
}

// MARK: - Reading what rabbitmq-c decoded

extension amqp_bytes_t {
    /// The bytes as a Swift string (UTF-8, invalid sequences repaired).
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    /// A copy of the bytes.
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}

extension amqp_table_t {
    /// A Swift copy of the table; nothing in it points into rabbitmq-c's memory.
    var fields: [String: AMQPFieldValue] {
        guard num_entries > 0, let entries else { return [:] }
        var result: [String: AMQPFieldValue] = [:]
        for entry in UnsafeBufferPointer(start: entries, count: Int(num_entries)) {
            result[entry.key.string] = entry.value.swiftValue
        }
        return result
    }
}

extension amqp_field_value_t {
    /// A Swift copy of the value.
    var swiftValue: AMQPFieldValue {
        switch amqp_field_value_kind_t(rawValue: UInt32(kind)) {
        case AMQP_FIELD_KIND_UTF8: .string(value.bytes.string)
        case AMQP_FIELD_KIND_BYTES: .bytes(value.bytes.array)
        case AMQP_FIELD_KIND_BOOLEAN: .bool(value.boolean != 0)
        case AMQP_FIELD_KIND_I8: .int(Int64(value.i8))
        case AMQP_FIELD_KIND_U8: .int(Int64(value.u8))
        case AMQP_FIELD_KIND_I16: .int(Int64(value.i16))
        case AMQP_FIELD_KIND_U16: .int(Int64(value.u16))
        case AMQP_FIELD_KIND_I32: .int(Int64(value.i32))
        case AMQP_FIELD_KIND_U32: .int(Int64(value.u32))
        case AMQP_FIELD_KIND_I64: .int(value.i64)
        case AMQP_FIELD_KIND_U64: .int(Int64(truncatingIfNeeded: value.u64))
        case AMQP_FIELD_KIND_F32: .double(Double(value.f32))
        case AMQP_FIELD_KIND_F64: .double(value.f64)
        case AMQP_FIELD_KIND_TIMESTAMP: .timestamp(value.u64)
        case AMQP_FIELD_KIND_TABLE: .table(value.table.fields)
        case AMQP_FIELD_KIND_ARRAY:
            if value.array.num_entries > 0, let entries = value.array.entries {
                .array(UnsafeBufferPointer(start: entries, count: Int(value.array.num_entries)).map(\.swiftValue))
            } else {
                .array([])
            }
        default: .void
        }
    }
}
