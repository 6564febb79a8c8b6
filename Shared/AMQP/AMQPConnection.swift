import Logging
import NIOPosix

/// One broker connection, driven from a thread of its own.
///
/// rabbitmq-c is blocking and a connection is not thread safe, so each
/// connection gets a `NIOThreadPool` with a single thread: every C call is a
/// work item there, all calls of a connection are serialized, and none runs on
/// an event loop or on Swift's cooperative pool. Publishers and consumers own
/// one each; the state machine of opening, losing and reopening lives in them.
final class AMQPConnection: Sendable {
    private let thread: NIOThreadPool
    private let handle: AMQPConnectionHandle

    /// Starts the connection's thread; the connection itself opens on demand.
    init(configuration: AMQPConfiguration, logger: Logger) {
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        handle = AMQPConnectionHandle(configuration: configuration, logger: logger)
    }

    deinit {
        // Work still queued is cancelled; the handle frees the C connection when released.
        thread.shutdownGracefully { _ in }
    }

    /// Runs `body` with the connection on its thread and returns its result.
    ///
    /// Unlike `NIOThreadPool.runIfActive`, a queued call is not skipped when the
    /// calling task is cancelled: an acknowledgement or a close asked for during
    /// shutdown still happens. Every call is bounded by the configuration's
    /// timeouts, so a cancelled task never waits long.
    ///
    /// - Parameter afterSubmit: called once the call is queued (to wake a blocked poll).
    /// - Throws: what `body` throws, or ``AMQPError/Code/closed`` after ``shutdown()``.
    func perform<Result: Sendable>(
        afterSubmit: () -> Void = {},
        _ body: @escaping @Sendable (AMQPConnectionHandle) throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            thread.submit { [handle] state in
                guard case .active = state else {
                    continuation.resume(throwing: AMQPError(.closed, "the AMQP connection was shut down"))
                    return
                }
                continuation.resume(with: Swift.Result { try body(handle) })
            }
            afterSubmit()
        }
    }

    /// Closes the connection politely and stops its thread; later calls throw ``AMQPError/Code/closed``.
    func shutdown() async {
        _ = try? await perform { $0.close() }
        try? await thread.shutdownGracefully()
    }
}
