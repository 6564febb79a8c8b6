import CHiredis

/// One blocking hiredis connection.
///
/// Every method blocks: call them only inside `NIOThreadPool.runIfActive`, never on an event
/// loop or the cooperative pool. The context is freed by ``close()`` or, at the latest, in `deinit`.
///
/// `@unchecked Sendable` is safe because a connection is never used by two threads at once:
/// ``RedisConnectionPool`` hands it to one lease holder at a time (behind its mutex), and the
/// holder touches it only inside one thread-pool closure at a time, awaiting each before the
/// next; the continuation resumption and the mutex order those accesses (happens-before).
final class RedisConnection: @unchecked Sendable {
    private var context: UnsafeMutablePointer<redisContext>?

    /// Whether the connection can no longer be trusted (an I/O error, EOF, timeout or protocol
    /// error left the context in an unknown state) and must be discarded, not reused.
    private(set) var isBroken = false

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    /// Connects, sets the command timeout, authenticates and selects the database. Blocks.
    static func open(_ configuration: RedisConfiguration) throws -> RedisConnection {
        guard let context = redisConnectWithTimeout(
            configuration.host, Int32(clamping: configuration.port), configuration.connectTimeout.timeval
        ) else {
            throw RedisError(code: .outOfMemory, message: "hiredis could not allocate a context")
        }
        guard context.pointee.err == 0 else {
            let error = RedisError.context(context)
            redisFree(context)
            let target = "\(configuration.host):\(configuration.port)"
            throw RedisError(code: .connectionFailed, message: "cannot connect to \(target): \(error.message)")
        }
        let connection = RedisConnection(context: context)
        guard redisSetTimeout(context, configuration.commandTimeout.timeval) == REDIS_OK else {
            throw RedisError.context(context)
        }
        _ = redisEnableKeepAlive(context)
        if let password = configuration.password {
            let user = configuration.username.map { [Array($0.utf8)] } ?? []
            _ = try connection.command([Array("AUTH".utf8)] + user + [Array(password.utf8)])
        }
        if configuration.database != 0 {
            _ = try connection.command([Array("SELECT".utf8), Array(String(configuration.database).utf8)])
        }
        return connection
    }

    /// Sends one command as a binary-safe argv (each argument with its length) and reads its reply. Blocks.
    ///
    /// - Throws: ``RedisError`` `.server` for an error reply (the connection stays usable), or the
    ///   context's error for a failed call (the connection is then marked broken).
    func command(_ arguments: [[UInt8]]) throws -> RedisValue {
        guard let context, !isBroken else {
            throw RedisError(code: .other, message: "the connection is closed")
        }
        guard !arguments.isEmpty else { throw RedisError(code: .other, message: "a command needs a name") }

        // One contiguous buffer (never empty, thanks to the trailing byte) that all argv pointers point into.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        for argument in arguments {
            offsets.append(storage.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        let lengths = arguments.map(\.count)

        let reply: UnsafeMutableRawPointer? = storage.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                var argv: [UnsafePointer<CChar>?] = offsets.map { offset in
                    characters.baseAddress.map { UnsafePointer($0 + offset) }
                }
                return argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { lengthBuffer in
                        clipset_redis_command_argv(
                            context, Int32(arguments.count), argvBuffer.baseAddress, lengthBuffer.baseAddress
                        )
                    }
                }
            }
        }
        guard let reply else {
            isBroken = true
            throw RedisError.context(context)
        }
        defer { freeReplyObject(reply) }
        let typed = UnsafePointer(reply.assumingMemoryBound(to: redisReply.self))
        let value = RedisValue(reply: typed)
        if case .error(let message) = value {
            throw RedisError(code: .server, message: message)
        }
        return value
    }

    /// Closes the socket and frees the context; later commands fail. Idempotent.
    func close() {
        if let context {
            redisFree(context)
            self.context = nil
        }
    }

    deinit {
        close()
    }
}

extension Duration {
    /// This duration as the `struct timeval` hiredis takes; negative durations become zero.
    fileprivate var timeval: timeval {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return .init(tv_sec: 0, tv_usec: 0) }
        return .init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
