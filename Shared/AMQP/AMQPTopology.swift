/// An exchange to declare.
package struct AMQPExchange: Sendable, Hashable {
    /// How an exchange routes messages to the queues bound to it.
    package enum Kind: String, Sendable, Hashable {
        case direct, topic, fanout, headers
    }

    /// The exchange's name.
    package var name: String
    /// How it routes.
    package var type: Kind
    /// Whether it survives a broker restart.
    package var durable: Bool

    /// Creates an exchange declaration; exchanges are durable unless told otherwise.
    package init(name: String, type: Kind, durable: Bool = true) {
        self.name = name
        self.type = type
        self.durable = durable
    }
}

/// A queue to declare, with its `x-` arguments.
package struct AMQPQueue: Sendable, Hashable {
    /// The queue's name.
    package var name: String
    /// Whether it survives a broker restart (quorum queues always do).
    package var durable: Bool
    /// The queue arguments (`x-queue-type`, `x-dead-letter-exchange`, …).
    package var arguments: [String: AMQPFieldValue]
    /// Whether only the declaring connection may use it, and it goes when that connection closes.
    package var exclusive: Bool
    /// Whether the broker deletes it once its last consumer is gone.
    package var autoDelete: Bool

    /// Creates a queue declaration.
    package init(
        name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        arguments: [String: AMQPFieldValue] = [:]
    ) {
        self.name = name
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.arguments = arguments
    }

    /// A classic queue of one connection (exclusive, auto-delete, not durable), for
    /// messages that matter only while this process listens; with a message TTL and
    /// a length limit, so a slow reader drops the oldest instead of piling them up.
    package static func transient(_ name: String, messageTTL: Duration, maxLength: Int) -> AMQPQueue {
        AMQPQueue(
            name: name, durable: false, exclusive: true, autoDelete: true,
            arguments: [
                "x-message-ttl": .int(Int64((messageTTL / .milliseconds(1)).rounded())),
                "x-max-length": .int(Int64(maxLength)),
            ])
    }

    /// A durable quorum queue, optionally dead-lettering to an exchange.
    ///
    /// - Parameters:
    ///   - deadLetterExchange: where rejected and over-delivered messages go (`x-dead-letter-exchange`).
    ///   - deadLetterRoutingKey: the routing key they go with (`x-dead-letter-routing-key`);
    ///     by default their own.
    ///   - deliveryLimit: how many times a message may be returned to the queue before it
    ///     is dead-lettered (`x-delivery-limit`); RabbitMQ 3.10 has no default.
    ///   - arguments: further arguments, which win over the ones above.
    package static func quorum(
        _ name: String,
        deadLetterExchange: String? = nil,
        deadLetterRoutingKey: String? = nil,
        deliveryLimit: Int? = nil,
        arguments: [String: AMQPFieldValue] = [:]
    ) -> AMQPQueue {
        var all: [String: AMQPFieldValue] = ["x-queue-type": "quorum"]
        if let deadLetterExchange { all["x-dead-letter-exchange"] = .string(deadLetterExchange) }
        if let deadLetterRoutingKey { all["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
        if let deliveryLimit { all["x-delivery-limit"] = .int(Int64(deliveryLimit)) }
        all.merge(arguments) { _, given in given }
        return AMQPQueue(name: name, durable: true, arguments: all)
    }
}

/// A binding of a queue to an exchange.
package struct AMQPBinding: Sendable, Hashable {
    /// The bound queue.
    package var queue: String
    /// The exchange it receives from.
    package var exchange: String
    /// The routing key or topic pattern (`media.video.*`); ignored by fanout exchanges.
    package var routingKey: String

    /// Creates a binding declaration.
    package init(queue: String, exchange: String, routingKey: String) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
    }
}

/// Exchanges, queues and bindings that a publisher or consumer needs.
///
/// Declaring a topology is idempotent as long as the declarations do not
/// change; a conflicting declaration fails with ``AMQPError/Code/preconditionFailed``.
/// Exchanges are declared first, then queues, then bindings.
package struct AMQPTopology: Sendable, Hashable {
    /// The exchanges.
    package var exchanges: [AMQPExchange]
    /// The queues.
    package var queues: [AMQPQueue]
    /// The bindings.
    package var bindings: [AMQPBinding]

    /// Creates a topology; empty by default.
    package init(exchanges: [AMQPExchange] = [], queues: [AMQPQueue] = [], bindings: [AMQPBinding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Whether there is nothing to declare.
    package var isEmpty: Bool { exchanges.isEmpty && queues.isEmpty && bindings.isEmpty }
}
