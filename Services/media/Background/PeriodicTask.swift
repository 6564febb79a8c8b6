import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until shutdown; a failed run is logged and tried again next time.
struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        // Cancellation (shutdown) ends the loop quietly: it is how this service stops, not a failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("periodic task failed", metadata: ["task": "\(name)", "error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
