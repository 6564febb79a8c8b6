import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The users whose tokens must be refused although they are validly signed:
/// the deactivated ones. A snapshot of the service's own table, re-read every
/// `interval` (default one second) so every replica of every service refuses
/// a deactivated user's token within seconds of the event.
package final class DeactivatedUsers: Service {
    /// Reads the current set of deactivated user ids.
    package typealias Loader = @Sendable () async throws -> Set<UUID>

    private let ids = Mutex<Set<UUID>>([])
    private let load: Loader
    private let interval: Duration
    private let logger: Logger

    package init(interval: Duration = .seconds(1), logger: Logger, load: @escaping Loader) {
        self.load = load
        self.interval = interval
        self.logger = logger
    }

    /// Whether `userID` is deactivated, as of the last refresh.
    package func contains(_ userID: UUID) -> Bool {
        ids.withLock { $0.contains(userID) }
    }

    /// Re-reads the set now.
    package func refresh() async throws {
        let current = try await load()
        ids.withLock { $0 = current }
    }

    package func run() async throws {
        var failing = false
        while !Task.isCancelledOrShuttingDown {
            do {
                try await refresh()
                if failing { logger.info("deactivated users refreshed again") }
                failing = false
            } catch {
                if !failing { logger.warning("could not refresh deactivated users", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Cancelled, or the service group is shutting down gracefully.
    static var isCancelledOrShuttingDown: Bool { isCancelled || isShuttingDownGracefully }
}
