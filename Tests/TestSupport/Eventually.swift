/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
///
/// For asynchronous effects (a message crossing the broker) that a test must
/// wait for without a fixed sleep.
package func eventually(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
