/// One dependency a service needs before it can do useful work, e.g. PostgreSQL.
///
/// `/ready` runs every check of a service concurrently and answers 503 when any
/// fails, naming each dependency with `ok` or `error`.
package struct ReadinessCheck: Sendable {
    /// The dependency's name as `/ready` reports it: `postgres`, `redis`, `rabbitmq`, ...
    package let name: String
    /// When set, a failure reads as `degraded` and leaves the service ready: it
    /// keeps serving without the dependency (the gateway's limiter without Redis).
    package let degradable: Bool
    private let probe: @Sendable () async throws -> Void

    /// - Parameter probe: throws when the dependency cannot be used right now.
    package init(_ name: String, degradable: Bool = false, probe: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.degradable = degradable
        self.probe = probe
    }

    /// Runs the probe, giving up after `timeout` so a hung dependency reads as down.
    package func run(timeout: Duration) async -> ReadinessResult {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await probe() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw ReadinessTimeout(timeout: timeout)
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            return ReadinessResult(status: "ok", error: nil)
        } catch {
            return ReadinessResult(status: degradable ? "degraded" : "error", error: "\(error)")
        }
    }
}

/// What one readiness check found.
package struct ReadinessResult: Codable, Sendable, Equatable {
    package var status: String
    package var error: String?
}

/// A readiness probe that did not answer in time.
struct ReadinessTimeout: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "no answer within \(timeout)" }
}
