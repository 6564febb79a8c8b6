import Foundation
import Metrics
import Synchronization

/// What a live stream is woken for.
enum LiveSignal: Sendable, Equatable {
    /// The user's stored status events may have grown: read them from `LiveFeed`.
    case statusChanged
    /// A transient progress event, passed straight on.
    case message(LiveMessage)
    /// Time to write a keep-alive comment.
    case heartbeat
}

/// One open stream's end of the hub: its signals, and the continuation that feeds them
/// (for the stream's own heartbeats, and to end it).
struct LiveSubscription: Sendable {
    let id: Int
    let signals: AsyncStream<LiveSignal>
    let continuation: AsyncStream<LiveSignal>.Continuation
}

/// The open event streams of this process, by user: the status listener and the
/// progress relay signal a user's streams here, and each stream reads its own signals.
///
/// A stream's buffer keeps the newest signals only, so a client that reads slowly loses
/// old progress (which the next progress replaces) but never a status event: those are
/// read from the database by number, and one `statusChanged` is enough to catch up.
final class LiveHub: Sendable {
    private struct State {
        var nextID = 0
        var streams: [Int: (userID: UUID, continuation: AsyncStream<LiveSignal>.Continuation)] = [:]
    }

    private let state = Mutex(State())
    private let bufferSize: Int
    private let connections = Gauge(label: "notify_live_streams")

    init(bufferSize: Int = 64) {
        self.bufferSize = bufferSize
    }

    /// The signals for `userID`, until `end` is called with the subscription's id.
    func subscribe(_ userID: UUID) -> LiveSubscription {
        let (signals, continuation) = AsyncStream.makeStream(of: LiveSignal.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let (id, count) = state.withLock { state in
            state.nextID += 1
            state.streams[state.nextID] = (userID, continuation)
            return (state.nextID, state.streams.count)
        }
        connections.record(count)
        return LiveSubscription(id: id, signals: signals, continuation: continuation)
    }

    /// Ends one stream.
    func end(_ id: Int) {
        let (removed, count) = state.withLock { state in (state.streams.removeValue(forKey: id), state.streams.count) }
        removed?.continuation.finish()
        connections.record(count)
    }

    /// Ends every stream (the process is shutting down).
    func endAll() {
        let removed = state.withLock { state in
            defer { state.streams.removeAll() }
            return Array(state.streams.values)
        }
        for stream in removed { stream.continuation.finish() }
        connections.record(0)
    }

    /// Sends `signal` to every stream of `userID`.
    func send(_ signal: LiveSignal, to userID: UUID) {
        for continuation in continuations(where: { $0 == userID }) { continuation.yield(signal) }
    }

    /// Tells every stream to look for status events it may have missed.
    func wakeEveryone() {
        for continuation in continuations(where: { _ in true }) { continuation.yield(.statusChanged) }
    }

    private func continuations(where matches: (UUID) -> Bool) -> [AsyncStream<LiveSignal>.Continuation] {
        state.withLock { state in state.streams.values.filter { matches($0.userID) }.map(\.continuation) }
    }
}
