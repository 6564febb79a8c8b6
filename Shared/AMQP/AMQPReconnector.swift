import Logging

/// Runs a connection attempt until it succeeds, waiting between attempts as a policy says.
struct AMQPReconnector: Sendable {
    let policy: AMQPReconnectPolicy
    let logger: Logger

    /// Calls `attempt` until it succeeds or fails in a way that is not retriable,
    /// or until the policy gives up.
    ///
    /// - Parameter shouldStop: polled while waiting; when it says yes, the wait ends
    ///   and the last error is thrown.
    /// - Throws: the last error, as a retriable ``AMQPError`` when the policy gave up;
    ///   `CancellationError` when the task is cancelled.
    @discardableResult
    func run<Result: Sendable>(
        shouldStop: @Sendable () -> Bool = { false },
        _ attempt: @Sendable () async throws -> Result
    ) async throws -> Result {
        let start = ContinuousClock.now
        var failures = 0
        while true {
            do {
                let result = try await attempt()
                if failures > 0 {
                    logger.warning("AMQP connection reopened", metadata: ["amqp.attempts": "\(failures + 1)"])
                }
                return result
            } catch let error as AMQPError where error.isRetriable {
                failures += 1
                guard let delay = policy.delay(afterAttempt: failures, elapsed: ContinuousClock.now - start) else {
                    throw AMQPError(
                        error.code, "gave up after \(failures) attempts: \(error.message)",
                        replyCode: error.replyCode, libraryStatus: error.libraryStatus
                    )
                }
                logger.warning(
                    "AMQP connection attempt failed",
                    metadata: ["amqp.error": "\(error)", "amqp.retry_in": "\(delay)", "amqp.attempt": "\(failures)"]
                )
                try await sleep(for: delay, unless: shouldStop)
                if shouldStop() { throw error }
            }
        }
    }

    /// Sleeps in short steps so that a stop request ends the wait promptly.
    private func sleep(for delay: Duration, unless shouldStop: @Sendable () -> Bool) async throws {
        let end = ContinuousClock.now + delay
        while !shouldStop(), ContinuousClock.now < end {
            try await Task.sleep(for: min(.milliseconds(50), end - ContinuousClock.now))
        }
    }
}
