import NIOPosix
import Synchronization

/// Lends at most `configuration.poolSize` hiredis connections, each to one caller at a time.
///
/// A caller first takes a permit (waiting in line when all are out), then an idle connection or,
/// when none is idle, a newly opened one; so there are never more connections than permits.
/// Broken connections are closed on return instead of going back to the idle list, which is
/// how the client recovers after a Redis restart. All blocking work runs on `threadPool`.
final class RedisConnectionPool: Sendable {
    /// A caller waiting for a permit, and how to wake it.
    private typealias Waiter = (id: Int, continuation: CheckedContinuation<Void, any Error>)

    private struct State {
        var idle: [RedisConnection] = []
        var freePermits: Int
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isClosed = false
    }

    private let state: Mutex<State>
    private let configuration: RedisConfiguration
    private let threadPool: NIOThreadPool

    /// Creates an empty pool; connections are opened on first use.
    init(configuration: RedisConfiguration, threadPool: NIOThreadPool) {
        self.configuration = configuration
        self.threadPool = threadPool
        self.state = Mutex(State(freePermits: configuration.poolSize))
    }

    /// Runs `body` on the thread pool with a connection no one else uses meanwhile.
    ///
    /// - Parameter fresh: open a new connection instead of reusing an idle one (one idle
    ///   connection is closed to make room), for a retry after a connection failure.
    func withConnection<Result: Sendable>(
        fresh: Bool,
        _ body: @escaping @Sendable (RedisConnection) throws -> Result
    ) async throws -> Result {
        try await acquirePermit()
        let idle = state.withLock { $0.idle.popLast() }
        var connection: RedisConnection?
        do {
            let leased: RedisConnection
            if let idle, !fresh {
                leased = idle
            } else {
                if let idle { await close(idle) }
                let configuration = self.configuration
                leased = try await threadPool.runIfActive { try RedisConnection.open(configuration) }
            }
            connection = leased
            let result = try await threadPool.runIfActive { try body(leased) }
            await release(leased)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Fails the callers waiting for a connection and closes the idle connections; leased
    /// connections are closed as they come back. Returns `false` if the pool was already closed.
    @discardableResult
    func close() async -> Bool {
        let (wasOpen, idle, waiters) = state.withLock { state -> (Bool, [RedisConnection], [Waiter]) in
            defer {
                state.isClosed = true
                state.idle = []
                state.waiters = []
            }
            return (!state.isClosed, state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: RedisError(code: .shutdown, message: "the Redis client was shut down"))
        }
        for connection in idle { await close(connection) }
        return wasOpen
    }

    /// Waits until fewer than `poolSize` callers hold a connection; cancellable while waiting.
    private func acquirePermit() async throws {
        let id = state.withLock { state in
            defer { state.nextWaiterID &+= 1 }
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checking cancellation under the lock closes the race with `onCancel` below:
                // either this sees the flag, or the waiter is queued before `onCancel` looks for it.
                let outcome: Result<Bool, any Error> = state.withLock { state in
                    if state.isClosed {
                        return .failure(RedisError(code: .shutdown, message: "the Redis client was shut down"))
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.freePermits > 0 {
                        state.freePermits -= 1
                        return .success(true)
                    }
                    state.waiters.append((id, continuation))
                    return .success(false)
                }
                switch outcome {
                case .success(true): continuation.resume()
                case .success(false): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Gives back a permit (to the first waiter, if any) and keeps the connection if it is healthy.
    private func release(_ connection: RedisConnection?) async {
        let (waiter, discarded) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, RedisConnection?) in
            var discarded: RedisConnection?
            if let connection {
                if state.isClosed || connection.isBroken {
                    discarded = connection
                } else {
                    state.idle.append(connection)
                }
            }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst().continuation, discarded) }
            state.freePermits += 1
            return (nil, discarded)
        }
        waiter?.resume()
        if let discarded { await close(discarded) }
    }

    /// Frees a connection on the thread pool; if the pool no longer runs work, `deinit` frees it
    /// (`redisFree` only closes a socket and frees memory, so it does not block).
    private func close(_ connection: RedisConnection) async {
        _ = try? await threadPool.runIfActive { connection.close() }
    }
}
