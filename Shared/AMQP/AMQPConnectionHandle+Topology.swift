import CRabbitMQ
import Logging

extension AMQPConnectionHandle {
    /// Declares the exchanges, then the queues, then the bindings of `topology`.
    func declare(_ topology: AMQPTopology) throws {
        guard let state else { throw AMQPError(.connectionLost, "declaring topology: not connected") }
        let channel = Self.channel
        for exchange in topology.exchanges {
            AMQPScopedMemory.with { memory in
                _ = amqp_exchange_declare(
                    state, channel, memory.bytes(exchange.name), memory.bytes(exchange.type.rawValue),
                    0, exchange.durable ? 1 : 0, 0, 0, amqp_empty_table
                )
            }
            try check(amqp_get_rpc_reply(state), "declaring exchange \(exchange.name)")
        }
        for queue in topology.queues {
            AMQPScopedMemory.with { memory in
                _ = amqp_queue_declare(
                    state, channel, memory.bytes(queue.name), 0, queue.durable ? 1 : 0, queue.exclusive ? 1 : 0,
                    queue.autoDelete ? 1 : 0,
                    memory.table(queue.arguments)
                )
            }
            try check(amqp_get_rpc_reply(state), "declaring queue \(queue.name)")
        }
        for binding in topology.bindings {
            AMQPScopedMemory.with { memory in
                _ = amqp_queue_bind(
                    state, channel, memory.bytes(binding.queue), memory.bytes(binding.exchange),
                    memory.bytes(binding.routingKey), amqp_empty_table
                )
            }
            try check(
                amqp_get_rpc_reply(state),
                "binding queue \(binding.queue) to \(binding.exchange) with \(binding.routingKey)"
            )
        }
        logger.debug(
            "AMQP topology declared",
            metadata: [
                "amqp.exchanges": "\(topology.exchanges.map(\.name))", "amqp.queues": "\(topology.queues.map(\.name))",
            ]
        )
    }

    /// Deletes a queue (and the messages in it); deleting a missing queue succeeds.
    ///
    /// - Returns: how many messages the queue held.
    func deleteQueue(_ name: String) throws -> UInt32 {
        guard let state else { throw AMQPError(.connectionLost, "deleting queue \(name): not connected") }
        let ok = AMQPScopedMemory.with { memory in amqp_queue_delete(state, Self.channel, memory.bytes(name), 0, 0) }
        try check(amqp_get_rpc_reply(state), "deleting queue \(name)")
        return ok?.pointee.message_count ?? 0
    }

    /// Deletes an exchange; deleting a missing exchange succeeds.
    func deleteExchange(_ name: String) throws {
        guard let state else { throw AMQPError(.connectionLost, "deleting exchange \(name): not connected") }
        AMQPScopedMemory.with { memory in _ = amqp_exchange_delete(state, Self.channel, memory.bytes(name), 0) }
        try check(amqp_get_rpc_reply(state), "deleting exchange \(name)")
    }

    /// How many messages are ready in a queue (a passive declaration).
    func messageCount(_ name: String) throws -> UInt32 {
        guard let state else { throw AMQPError(.connectionLost, "inspecting queue \(name): not connected") }
        let ok = AMQPScopedMemory.with { memory in
            amqp_queue_declare(state, Self.channel, memory.bytes(name), 1, 0, 0, 0, amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(state), "inspecting queue \(name)")
        return ok?.pointee.message_count ?? 0
    }
}
