/// The few typed commands the services use; anything else goes through ``RedisClient/send(_:)``.
extension RedisClient {
    /// Sends `PING`; throws if the server does not answer.
    package func ping() async throws {
        let reply = try await send(["PING"])
        guard reply.string == "PONG" else { throw Self.unexpected(reply, for: "PING") }
    }

    /// The value of `key`, or `nil` when it does not exist.
    package func get(_ key: String) async throws -> [UInt8]? {
        let reply = try await send(["GET", key])
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw Self.unexpected(reply, for: "GET") }
        return bytes
    }

    /// The value of `key` as UTF-8 text, or `nil` when it does not exist.
    package func getString(_ key: String) async throws -> String? {
        try await get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Stores `value` under `key`, expiring after `expiration` (millisecond precision) if given.
    package func set(_ key: String, to value: [UInt8], expiration: Duration? = nil) async throws {
        var arguments = [Array("SET".utf8), Array(key.utf8), value]
        if let expiration {
            arguments += [Array("PX".utf8), Array(String(Self.milliseconds(expiration)).utf8)]
        }
        let reply = try await send(arguments)
        guard reply.string == "OK" else { throw Self.unexpected(reply, for: "SET") }
    }

    /// Stores the UTF-8 `value` under `key`, expiring after `expiration` if given.
    package func set(_ key: String, to value: String, expiration: Duration? = nil) async throws {
        try await set(key, to: Array(value.utf8), expiration: expiration)
    }

    /// Deletes the keys; returns how many existed.
    @discardableResult
    package func del(_ keys: String...) async throws -> Int {
        try await integer(send(["DEL"] + keys), for: "DEL")
    }

    /// Adds one to the integer at `key` (a missing key counts as 0); returns the new value.
    package func incr(_ key: String) async throws -> Int {
        try await integer(send(["INCR", key]), for: "INCR")
    }

    /// Makes `key` expire after `duration` (millisecond precision); `false` if the key does not exist.
    @discardableResult
    package func expire(_ key: String, after duration: Duration) async throws -> Bool {
        try await integer(send(["PEXPIRE", key, String(Self.milliseconds(duration))]), for: "PEXPIRE") == 1
    }

    /// The value of an integer reply, or an error naming the command.
    private func integer(_ reply: RedisValue, for command: String) throws -> Int {
        guard case .integer(let value) = reply else { throw Self.unexpected(reply, for: command) }
        return value
    }

    /// Whole milliseconds, at least 1, since Redis refuses an expiry of 0.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int64.max }
        return max(1, total.partialValue + attoseconds / 1_000_000_000_000_000)
    }

    /// The error for a reply of the wrong shape (a server or proxy that does not speak Redis as expected).
    static func unexpected(_ reply: RedisValue, for command: String) -> RedisError {
        RedisError(code: .other, message: "unexpected reply to \(command): \(reply)")
    }
}
