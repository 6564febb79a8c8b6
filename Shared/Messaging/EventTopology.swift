import AMQP

/// The RabbitMQ topology of ARCHITECTURE §3, declared by whoever needs it.
///
/// - `clipset.events`: the topic exchange every event is published to, with
///   routing key `<service>.<entity>.<verb>`.
/// - `clipset.dlx`: the dead-letter exchange; each queue dead-letters with its
///   own key to a `<queue>.dead` queue, where failed messages wait for a person.
/// - `<service>.events`: one durable quorum queue per consuming service, bound
///   to the keys it needs, with an explicit delivery limit.
/// - `media.jobs`: the work queue of media workers.
package enum EventTopology {
    /// The topic exchange of all events.
    package static let eventsExchange = "clipset.events"
    /// The dead-letter exchange.
    package static let deadLetterExchange = "clipset.dlx"
    /// The queue of media jobs, published through the default exchange.
    package static let jobsQueue = "media.jobs"

    /// The exchanges, which publishers declare before their first publish.
    package static let exchanges = AMQPTopology(exchanges: [
        AMQPExchange(name: eventsExchange, type: .topic),
        AMQPExchange(name: deadLetterExchange, type: .direct),
    ])

    /// A service's event queue, bound to `routingKeys` (topic patterns allowed),
    /// with its dead-letter queue.
    package static func consumer(queue: String, routingKeys: [String], deliveryLimit: Int) -> AMQPTopology {
        var topology = workQueue(queue, deliveryLimit: deliveryLimit)
        topology.bindings += routingKeys.map { AMQPBinding(queue: queue, exchange: eventsExchange, routingKey: $0) }
        return topology
    }

    /// A process's own transient queue (see ``AMQPQueue/transient(_:messageTTL:maxLength:)``)
    /// bound to `routingKeys`, for events that matter only while it listens (live progress).
    package static func listener(
        queue: String, routingKeys: [String], messageTTL: Duration = .seconds(30), maxLength: Int = 10_000
    ) -> AMQPTopology {
        var topology = exchanges
        topology.queues = [.transient(queue, messageTTL: messageTTL, maxLength: maxLength)]
        topology.bindings = routingKeys.map { AMQPBinding(queue: queue, exchange: eventsExchange, routingKey: $0) }
        return topology
    }

    /// A quorum queue with its dead-letter queue, and the exchanges.
    package static func workQueue(_ queue: String, deliveryLimit: Int) -> AMQPTopology {
        let dead = "\(queue).dead"
        var topology = exchanges
        topology.queues = [
            .quorum(queue, deadLetterExchange: deadLetterExchange, deadLetterRoutingKey: dead, deliveryLimit: deliveryLimit),
            .quorum(dead),
        ]
        topology.bindings = [AMQPBinding(queue: dead, exchange: deadLetterExchange, routingKey: dead)]
        return topology
    }
}
