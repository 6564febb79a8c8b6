import Logging
import NIOPosix
import Synchronization

/// A Redis client over hiredis: a small pool of blocking connections driven from a `NIOThreadPool`.
///
/// Calls are `async`; the blocking hiredis calls never run on an event loop or the cooperative
/// pool. A command that fails because its connection broke (I/O error, EOF, a failed connect) is
/// retried **once** on a freshly opened connection, so the client keeps working after a Redis
/// restart. That retry applies to every command: a non-idempotent command such as `INCR` may be
/// applied twice if the connection dropped after the server ran it but before the reply arrived.
///
/// Call ``shutdown()`` when done (or run the client as a `Service`, see `RedisClient+Service.swift`).
package final class RedisClient: Sendable {
    /// Where the client connects.
    package let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let isShutDown = Atomic<Bool>(false)
    let logger: Logger

    /// Creates a client; no connection is opened until the first command.
    ///
    /// - Parameters:
    ///   - threadPool: where hiredis calls block; `nil` starts a pool of `poolSize` threads
    ///     owned (and shut down) by this client. An injected pool is left running.
    ///   - logger: receives debug messages (retries, discarded connections).
    package init(configuration: RedisConfiguration, threadPool: NIOThreadPool? = nil, logger: Logger) {
        self.configuration = configuration
        if let threadPool {
            self.threadPool = threadPool
            self.ownsThreadPool = false
        } else {
            let owned = NIOThreadPool(numberOfThreads: configuration.poolSize)
            owned.start()
            self.threadPool = owned
            self.ownsThreadPool = true
        }
        self.pool = RedisConnectionPool(configuration: configuration, threadPool: self.threadPool)
        self.logger = logger
    }

    /// Sends one command, e.g. `["SET", "key", "value"]`; each string is one argument (spaces included).
    ///
    /// - Returns: the reply; a `nil` bulk reply is ``RedisValue/null``.
    /// - Throws: ``RedisError``; an error reply from the server has code `.server`.
    package func send(_ arguments: [String]) async throws -> RedisValue {
        try await send(arguments.map { Array($0.utf8) })
    }

    /// Sends one command whose arguments are raw bytes (binary-safe: NUL bytes are kept).
    ///
    /// - Throws: ``RedisError``; an error reply from the server has code `.server`.
    package func send(_ arguments: [[UInt8]]) async throws -> RedisValue {
        do {
            return try await pool.withConnection(fresh: false) { try $0.command(arguments) }
        } catch let error as RedisError where error.isRetriable {
            logger.debug(
                "Redis connection failed, retrying on a new connection",
                metadata: ["redis.error": "\(error)", "redis.command": "\(Self.commandName(arguments))"]
            )
            return try await pool.withConnection(fresh: true) { try $0.command(arguments) }
        }
    }

    /// Closes every connection and, if the client started its own thread pool, stops it.
    /// Waiting and later calls fail with `.shutdown`. Calling it again does nothing.
    package func shutdown() async {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await pool.close()
        if ownsThreadPool {
            do {
                try await threadPool.shutdownGracefully()
            } catch {
                logger.debug("Redis thread pool did not shut down cleanly", metadata: ["redis.error": "\(error)"])
            }
        }
        logger.debug("Redis client shut down")
    }

    deinit {
        // A client dropped without shutdown() must not leak its threads; connections free themselves.
        if ownsThreadPool, !isShutDown.load(ordering: .acquiring) {
            threadPool.shutdownGracefully { _ in }
        }
    }

    /// The command word only: arguments may hold secrets or large values, so they are never logged.
    private static func commandName(_ arguments: [[UInt8]]) -> String {
        arguments.first.map { String(decoding: $0.prefix(32), as: UTF8.self) } ?? ""
    }
}
