import CRabbitMQ
import Foundation

/// How a batch ended when it did not end in an error that the caller must see.
enum AMQPPublishOutcome: Sendable {
    /// The broker confirmed every message.
    case confirmed
    /// The connection was found dead before the broker confirmed anything; safe to send again.
    case lostBeforeConfirm(AMQPError)
}

extension AMQPConnectionHandle {
    /// Publishes `messages` on the confirm-mode channel and waits until the broker has acked them all.
    ///
    /// - Throws: ``AMQPError/Code/nacked`` if the broker nacked any;
    ///   a connection error if the connection died after some were confirmed;
    ///   the broker's error if it closed the channel for a reason that is not retriable.
    func publishConfirmed(_ messages: [AMQPOutgoingMessage]) throws -> AMQPPublishOutcome {
        guard let state else { return .lostBeforeConfirm(AMQPError(.connectionLost, "publishing: not connected")) }
        amqp_maybe_release_buffers(state)
        // A broker that went away while we were idle left a connection.close or an
        // end of file in the socket: find out now rather than publish into the void.
        if let error = discardPendingFrames(state) { return .lostBeforeConfirm(error) }
        var outstanding = Set<UInt64>()
        for message in messages {
            let status = AMQPScopedMemory.with { memory in publish(message, on: state, memory) }
            guard status == AMQP_STATUS_OK.rawValue else {
                return .lostBeforeConfirm(libraryFailure(status, "publishing to \(message.exchange)"))
            }
            lastPublishTag += 1
            outstanding.insert(lastPublishTag)
        }
        let (nacked, lost) = try waitForConfirms(of: &outstanding, on: state, total: messages.count)
        if let lost { return .lostBeforeConfirm(lost) }
        if nacked > 0 {
            throw AMQPError(.nacked, "the broker nacked \(nacked) of \(messages.count) messages")
        }
        return .confirmed
    }

    /// Sends one basic.publish with its properties and body.
    private func publish(
        _ message: AMQPOutgoingMessage, on state: amqp_connection_state_t, _ memory: AMQPScopedMemory
    ) -> Int32 {
        var properties = amqp_basic_properties_t()
        var flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG
        properties.content_type = memory.bytes(message.contentType)
        properties.delivery_mode = message.persistent ? 2 : 1
        if let messageId = message.messageId {
            flags |= AMQP_BASIC_MESSAGE_ID_FLAG
            properties.message_id = memory.bytes(messageId)
        }
        if !message.headers.isEmpty {
            flags |= AMQP_BASIC_HEADERS_FLAG
            properties.headers = memory.table(message.headers.mapValues(AMQPFieldValue.string))
        }
        if let timestamp = message.timestamp {
            flags |= AMQP_BASIC_TIMESTAMP_FLAG
            properties.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970))
        }
        properties._flags = amqp_flags_t(flags)
        return amqp_basic_publish(
            state, Self.channel, memory.bytes(message.exchange), memory.bytes(message.routingKey), 0, 0,
            &properties, memory.bytes(message.body)
        )
    }

    /// Reads basic.ack and basic.nack frames until no tag is outstanding.
    ///
    /// - Returns: how many messages were nacked, or the error that lost the
    ///   connection before the broker confirmed any of them.
    private func waitForConfirms(
        of outstanding: inout Set<UInt64>, on state: amqp_connection_state_t, total: Int
    ) throws -> (nacked: Int, lost: AMQPError?) {
        let deadline = ContinuousClock.now + configuration.operationTimeout
        var nacked = 0
        var frame = amqp_frame_t()
        while !outstanding.isEmpty {
            let remaining = deadline - ContinuousClock.now
            let status = clipset_amqp_wait_frame(state, &frame, max(remaining.microseconds, 0))
            // Nothing confirmed yet: the caller may send the batch again on a new connection.
            let untouched = outstanding.count == total
            guard status == AMQP_STATUS_OK.rawValue else {
                let error = libraryFailure(status, "waiting for publisher confirms")
                if untouched && error.code == .connectionLost { return (0, error) }
                throw error
            }
            guard frame.frame_type == AMQP_FRAME_METHOD, let decoded = frame.payload.method.decoded else { continue }
            switch frame.payload.method.id {
            case AMQP_BASIC_ACK_METHOD:
                let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                Self.settle(&outstanding, tag: ack.delivery_tag, multiple: ack.multiple != 0)
            case AMQP_BASIC_NACK_METHOD:
                let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                nacked += Self.settle(&outstanding, tag: nack.delivery_tag, multiple: nack.multiple != 0)
            case AMQP_CHANNEL_CLOSE_METHOD, AMQP_CONNECTION_CLOSE_METHOD:
                let error = serverException(frame.payload.method, "publishing")
                if untouched && error.code == .connectionLost { return (0, error) }
                throw error
            default:
                continue
            }
        }
        amqp_maybe_release_buffers(state)
        return (nacked, nil)
    }

    /// Removes the confirmed tags from `outstanding`; returns how many it removed.
    @discardableResult
    private static func settle(_ outstanding: inout Set<UInt64>, tag: UInt64, multiple: Bool) -> Int {
        guard multiple else { return outstanding.remove(tag) == nil ? 0 : 1 }
        let before = outstanding.count
        outstanding = outstanding.filter { $0 > tag }
        return before - outstanding.count
    }

    /// Reads, without blocking, what the broker sent since the last call: stale
    /// confirms are dropped; a close or a dead socket is returned as an error.
    func discardPendingFrames(_ state: amqp_connection_state_t) -> AMQPError? {
        var frame = amqp_frame_t()
        while true {
            let status = clipset_amqp_wait_frame(state, &frame, 0)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
            guard status == AMQP_STATUS_OK.rawValue else { return libraryFailure(status, "reading from the broker") }
            if frame.frame_type == AMQP_FRAME_METHOD,
                frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD
                    || frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD
            {
                return serverException(frame.payload.method, "reading from the broker")
            }
        }
    }
}
