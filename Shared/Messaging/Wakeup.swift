import Synchronization

/// A signal one waiter can await with a time limit: "there may be work".
///
/// A signal sent while nobody waits is kept (once) for the next wait. Unlike an
/// `AsyncStream`, whose iterator ends the whole stream when the task awaiting
/// it is cancelled, a wait here can time out or be cancelled any number of times.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var nextWait: UInt64 = 0
        /// The wait in progress: its id, and its continuation once it is parked.
        var waitID: UInt64?
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the waiter, or the next one if nobody waits now.
    func signal() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.waitID != nil else {
                state.pending = true
                return nil
            }
            state.waitID = nil
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    /// Returns on a signal (including one sent since the last wait), after
    /// `timeout`, or on cancellation, whichever comes first. One waiter at a time.
    func wait(timeout: Duration) async {
        let id: UInt64? = state.withLock { state in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextWait += 1
            state.waitID = state.nextWait
            return state.nextWait
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park(id) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            end(id)
        }
    }

    private func park(_ id: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ended = state.withLock { state -> Bool in
                    guard state.waitID == id else { return true }
                    state.continuation = continuation
                    return false
                }
                if ended { continuation.resume() }
            }
        } onCancel: {
            end(id)
        }
    }

    /// Ends wait `id` if it is still in progress, resuming it if parked.
    private func end(_ id: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.waitID == id else { return nil }
            state.waitID = nil
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}
