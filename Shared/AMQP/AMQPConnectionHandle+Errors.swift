import CRabbitMQ

extension AMQPConnectionHandle {
    /// Throws the error `reply` reports, after leaving the connection in a safe state.
    ///
    /// Any failure closes the connection: rabbitmq-c's state is undefined after a
    /// library error, and after a channel error this module has no channel left.
    /// - Parameter lost: the code for a library failure (`connectionFailed` while opening).
    func check(_ reply: amqp_rpc_reply_t, _ context: String, lost: AMQPError.Code = .connectionLost) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw serverException(reply.reply, context)
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw libraryFailure(reply.library_error, context, lost: lost)
        default:
            drop()
            throw AMQPError(lost, "\(context): the broker closed the connection")
        }
    }

    /// The error a failed rabbitmq-c status stands for; the connection is dropped.
    func libraryFailure(_ status: Int32, _ context: String, lost: AMQPError.Code = .connectionLost) -> AMQPError {
        drop()
        let code: AMQPError.Code =
            switch status {
            case AMQP_STATUS_TIMEOUT.rawValue: .timeout
            case AMQP_STATUS_NO_MEMORY.rawValue, AMQP_STATUS_INVALID_PARAMETER.rawValue,
                AMQP_STATUS_TABLE_TOO_BIG.rawValue:
                .libraryError
            default: lost
            }
        return AMQPError(code, "\(context): \(Self.describe(status))", libraryStatus: status)
    }

    /// Answers the broker's channel.close or connection.close, closes the
    /// connection, and returns the error the broker reported.
    func serverException(_ method: amqp_method_t, _ context: String) -> AMQPError {
        guard let state, let decoded = method.decoded else {
            drop()
            return AMQPError(.connectionLost, "\(context): the broker closed the connection")
        }
        switch method.id {
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            let error = Self.error(replyCode: close.reply_code, text: close.reply_text.string, context)
            var ok = amqp_connection_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
            drop()
            return error
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = Self.error(replyCode: close.reply_code, text: close.reply_text.string, context)
            var ok = amqp_channel_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, Self.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok)
            // The channel is gone; the connection without it is of no use.
            _ = clipset_amqp_set_rpc_timeout(state, 2_000_000)
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            drop()
            return error
        default:
            drop()
            return AMQPError(.brokerError, "\(context): unexpected method 0x\(String(method.id, radix: 16))")
        }
    }

    /// The error for an AMQP reply code the broker closed a channel or connection with.
    static func error(replyCode: UInt16, text: String, _ context: String) -> AMQPError {
        let code: AMQPError.Code =
            switch Int32(replyCode) {
            case AMQP_ACCESS_REFUSED, AMQP_NOT_ALLOWED: .accessRefused
            case AMQP_NOT_FOUND: .notFound
            case AMQP_PRECONDITION_FAILED: .preconditionFailed
            case AMQP_RESOURCE_LOCKED: .resourceLocked
            case AMQP_CONNECTION_FORCED: .connectionLost
            default: .brokerError
            }
        return AMQPError(code, "\(context): \(text)", replyCode: replyCode)
    }

    /// rabbitmq-c's words for a status.
    static func describe(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: text)
    }
}

extension Duration {
    /// The duration in whole microseconds, as the shim's timeouts take it.
    var microseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
