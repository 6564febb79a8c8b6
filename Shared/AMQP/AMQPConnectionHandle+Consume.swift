import CRabbitMQ
import Foundation

/// A message as it came off the wire, copied out of rabbitmq-c's memory.
struct AMQPReceivedMessage: Sendable {
    var body: [UInt8]
    var exchange: String
    var routingKey: String
    var deliveryTag: UInt64
    var redelivered: Bool
    var messageId: String?
    var contentType: String?
    var timestamp: Date?
    var headers: [String: AMQPFieldValue]
    /// The connection it came on: only that connection can acknowledge it.
    var generation: UInt64
}

/// What one poll of a consumer's connection found.
enum AMQPPollResult: Sendable {
    case message(AMQPReceivedMessage)
    /// Nothing yet, or the poll was woken to let an acknowledgement through.
    case idle
    /// The connection (or its channel, or the consumer) is gone.
    case lost(AMQPError)
}

/// How a consumer settles a delivery.
enum AMQPSettlement: Sendable {
    case ack
    case nack(requeue: Bool)
    case reject(requeue: Bool)
}

extension AMQPConnectionHandle {
    /// Sets the prefetch and starts a consumer with manual acknowledgements on `queue`.
    func startConsuming(queue: String, prefetch: UInt16) throws {
        guard let state else { throw AMQPError(.connectionLost, "consuming \(queue): not connected") }
        amqp_basic_qos(state, Self.channel, 0, prefetch, 0)
        try check(amqp_get_rpc_reply(state), "basic.qos")
        let ok = AMQPScopedMemory.with { memory in
            amqp_basic_consume(state, Self.channel, memory.bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(state), "consuming \(queue)")
        consumerTag = ok?.pointee.consumer_tag.string
    }

    /// Cancels the consumer, so the broker sends no more deliveries; errors only drop the connection.
    func stopConsuming() {
        guard let state, let consumerTag else { return }
        AMQPScopedMemory.with { memory in _ = amqp_basic_cancel(state, Self.channel, memory.bytes(consumerTag)) }
        try? check(amqp_get_rpc_reply(state), "basic.cancel")
        self.consumerTag = nil
    }

    /// Waits up to `timeout` for a delivery, returning early when `wakeup` is signalled.
    ///
    /// Also keeps the heartbeats going: rabbitmq-c sends and checks them inside
    /// `amqp_consume_message`, which this calls at least once per poll.
    func poll(wakeup: AMQPWakeup, timeout: Duration) -> AMQPPollResult {
        guard let state else { return .lost(AMQPError(.connectionLost, "consuming: not connected")) }
        amqp_maybe_release_buffers(state)
        if amqp_frames_enqueued(state) == 0, amqp_data_in_buffer(state) == 0 {
            _ = wakeup.wait(socket: amqp_get_sockfd(state), timeout: timeout)
            wakeup.drain()
        }
        var envelope = amqp_envelope_t()
        let reply = clipset_amqp_consume_message(state, &envelope, 0)
        if reply.reply_type == AMQP_RESPONSE_NORMAL {
            defer { amqp_destroy_envelope(&envelope) }
            return .message(received(envelope))
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION {
            switch reply.library_error {
            case AMQP_STATUS_TIMEOUT.rawValue: return .idle
            case AMQP_STATUS_UNEXPECTED_STATE.rawValue: return readOtherFrame(state)
            default: break
            }
        }
        do {
            try check(reply, "consuming")
            return .idle
        } catch let error as AMQPError {
            return .lost(error)
        } catch {
            return .lost(AMQPError(.connectionLost, "consuming: \(error)"))
        }
    }

    /// Reads the frame that is not a basic.deliver and decides what it means.
    private func readOtherFrame(_ state: amqp_connection_state_t) -> AMQPPollResult {
        var frame = amqp_frame_t()
        let status = clipset_amqp_wait_frame(state, &frame, -1)
        guard status == AMQP_STATUS_OK.rawValue else { return .lost(libraryFailure(status, "consuming")) }
        guard frame.frame_type == AMQP_FRAME_METHOD else { return .idle }
        switch frame.payload.method.id {
        case AMQP_CHANNEL_CLOSE_METHOD, AMQP_CONNECTION_CLOSE_METHOD:
            return .lost(serverException(frame.payload.method, "consuming"))
        case AMQP_BASIC_CANCEL_METHOD:
            // The broker cancelled the consumer (queue deleted, node down): start over.
            close()
            return .lost(AMQPError(.connectionLost, "the broker cancelled the consumer"))
        default:
            return .idle
        }
    }

    /// Copies a delivery out of the envelope, which is freed right after.
    private func received(_ envelope: amqp_envelope_t) -> AMQPReceivedMessage {
        let properties = envelope.message.properties
        let flags = Int32(truncatingIfNeeded: properties._flags)
        func has(_ flag: Int32) -> Bool { flags & flag != 0 }
        return AMQPReceivedMessage(
            body: envelope.message.body.array,
            exchange: envelope.exchange.string,
            routingKey: envelope.routing_key.string,
            deliveryTag: envelope.delivery_tag,
            redelivered: envelope.redelivered != 0,
            messageId: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? properties.message_id.string : nil,
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? properties.content_type.string : nil,
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG)
                ? Date(timeIntervalSince1970: TimeInterval(properties.timestamp)) : nil,
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? properties.headers.fields : [:],
            generation: generation
        )
    }

    /// Acks, nacks or rejects a delivery, if it came on the connection that is open now.
    func settle(_ settlement: AMQPSettlement, deliveryTag: UInt64, generation: UInt64) throws {
        guard let state, generation == self.generation else {
            throw AMQPError(.deliveryExpired, "the connection this message came on is gone; the broker redelivers it")
        }
        let status =
            switch settlement {
            case .ack: amqp_basic_ack(state, Self.channel, deliveryTag, 0)
            case .nack(let requeue): amqp_basic_nack(state, Self.channel, deliveryTag, 0, requeue ? 1 : 0)
            case .reject(let requeue): amqp_basic_reject(state, Self.channel, deliveryTag, requeue ? 1 : 0)
            }
        guard status == AMQP_STATUS_OK.rawValue else { throw libraryFailure(status, "settling a delivery") }
    }
}
