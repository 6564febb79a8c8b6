import Logging
import Synchronization

/// A consumer's connection and the deliveries in flight on it.
///
/// Shared by the consumer's poll loop and by every ``AMQPDelivery`` it hands
/// out, so a delivery can be settled on the connection's thread. The lock
/// guards only bookkeeping; no C call runs under it.
final class AMQPConsumerChannel: Sendable {
    /// The bookkeeping behind the lock.
    struct State: Sendable {
        /// The generation of the open connection; 0 while none is open.
        var generation: UInt64 = 0
        /// Delivery tags handed out on that connection and not yet settled.
        var unsettled: Set<UInt64> = []
        /// Whether the consumer was asked to stop.
        var stopRequested = false
        /// Whether `run()` was called.
        var started = false
    }

    let connection: AMQPConnection
    let wakeup = AMQPWakeup()
    let queue: String
    private let state = Mutex(State())

    init(connection: AMQPConnection, queue: String) {
        self.connection = connection
        self.queue = queue
    }

    /// Whether the consumer should wind down.
    var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// How many handed-out deliveries are not settled yet.
    var unsettledCount: Int { state.withLock { $0.unsettled.count } }

    /// Marks the consumer as running; false if it already was.
    func start() -> Bool {
        state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
    }

    /// Asks the poll loop to stop and wakes it.
    func requestStop() {
        state.withLock { $0.stopRequested = true }
        wakeup.signal()
    }

    /// Starts the bookkeeping of a newly opened connection.
    func connected(generation: UInt64) {
        state.withLock { state in
            state.generation = generation
            state.unsettled = []
        }
    }

    /// Forgets the connection: deliveries from it can no longer be settled.
    func disconnected() {
        state.withLock { state in
            state.generation = 0
            state.unsettled = []
        }
    }

    /// Records a delivery that is about to be handed out.
    func track(_ message: AMQPReceivedMessage) {
        state.withLock { state in
            if state.generation == message.generation { _ = state.unsettled.insert(message.deliveryTag) }
        }
    }

    /// Acks, nacks or rejects a delivery on the connection's thread.
    ///
    /// - Throws: ``AMQPError/Code/deliveryExpired`` (retriable, nothing to do: the
    ///   broker redelivers) when the delivery's connection is gone;
    ///   ``AMQPError/Code/alreadySettled`` when it was settled before.
    func settle(_ settlement: AMQPSettlement, deliveryTag: UInt64, generation: UInt64) async throws {
        try state.withLock { state throws(AMQPError) in
            guard state.generation == generation else {
                throw AMQPError(.deliveryExpired, "the connection this message came on is gone; the broker redelivers it")
            }
            guard state.unsettled.remove(deliveryTag) != nil else {
                throw AMQPError(.alreadySettled, "delivery \(deliveryTag) was already settled")
            }
        }
        try await connection.perform(afterSubmit: wakeup.signal) { handle in
            try handle.settle(settlement, deliveryTag: deliveryTag, generation: generation)
        }
    }
}
