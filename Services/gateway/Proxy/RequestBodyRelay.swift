import NIOCore
import Synchronization

/// Hands a client's request body to AsyncHTTPClient and takes it back once the response is
/// written, so the body's single iterator is never used by two tasks at once.
///
/// A service may answer before it has read the whole body (a 413, a 404 of an upload). The
/// gateway then writes the response while AsyncHTTPClient's upload task may still be waiting in
/// the body's `next()`; when the handler returns, Hummingbird drains what is left of the body
/// with the same iterator, and NIO's sequence traps on a second waiting `next()` (seen as the
/// gateway dying with SIGILL under load). ``close()`` waits until no `next()` is in flight and
/// ends the stream for AsyncHTTPClient, so the drain that follows is the only reader.
final class RequestBodyRelay: Sendable {
    private struct State {
        var reading = false
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// `base` as AsyncHTTPClient iterates it: each `next()` registered, nothing after ``close()``.
    func relaying<Base: AsyncSequence & Sendable>(_ base: Base) -> RelayedBody<Base> where Base.Element == ByteBuffer {
        RelayedBody(base: base, relay: self)
    }

    /// Waits until no `next()` is in flight, then ends the stream for its reader.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                guard state.reading else {
                    state.closed = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Whether a `next()` may start (false once closed); marks it in flight.
    fileprivate func begin() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.reading = true
            return true
        }
    }

    /// Marks the `next()` done; a waiting ``close()`` closes now and resumes.
    fileprivate func end() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.reading = false
            guard !state.waiters.isEmpty else { return [] }
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A request body whose reads a ``RequestBodyRelay`` tracks.
struct RelayedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let relay: RequestBodyRelay

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let relay: RequestBodyRelay

        mutating func next() async throws -> ByteBuffer? {
            guard relay.begin() else { return nil }
            defer { relay.end() }
            return try await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), relay: relay)
    }
}
