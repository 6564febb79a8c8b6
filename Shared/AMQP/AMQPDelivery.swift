import Foundation

/// A message delivered to an ``AMQPConsumer``, to be settled exactly once.
///
/// Settle it with ``ack()`` after its effect is committed, or with ``nack(requeue:)``
/// or ``reject(requeue:)``. A delivery whose connection was lost cannot be
/// settled any more: those calls then throw ``AMQPError/Code/deliveryExpired``,
/// which is retriable and needs no action, as the broker delivers the message again.
package struct AMQPDelivery: Sendable {
    /// The body.
    package let body: [UInt8]
    /// The exchange the message was published to.
    package let exchange: String
    /// The routing key it was published with.
    package let routingKey: String
    /// The broker's tag for this delivery on its channel.
    package let deliveryTag: UInt64
    /// Whether the broker delivered this message before (to this or another consumer).
    package let redelivered: Bool
    /// The message id the publisher set.
    package let messageId: String?
    /// The content type the publisher set.
    package let contentType: String?
    /// The timestamp the publisher set.
    package let timestamp: Date?
    /// The application headers, with those the broker adds (`x-delivery-count`, `x-death`).
    package let headers: [String: AMQPFieldValue]

    private let channel: AMQPConsumerChannel
    private let generation: UInt64

    init(_ message: AMQPReceivedMessage, channel: AMQPConsumerChannel) {
        body = message.body
        exchange = message.exchange
        routingKey = message.routingKey
        deliveryTag = message.deliveryTag
        redelivered = message.redelivered
        messageId = message.messageId
        contentType = message.contentType
        timestamp = message.timestamp
        headers = message.headers
        self.channel = channel
        generation = message.generation
    }

    /// How many times a quorum queue delivered this message before (`x-delivery-count`),
    /// `nil` on a first delivery or from a classic queue.
    package var deliveryCount: Int? {
        headers["x-delivery-count"]?.intValue.map { Int($0) }
    }

    /// The body as UTF-8 text.
    package var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// Tells the broker the message is handled; it is removed from the queue.
    package func ack() async throws {
        try await channel.settle(.ack, deliveryTag: deliveryTag, generation: generation)
    }

    /// Tells the broker the message was not handled: back to the queue if `requeue`,
    /// otherwise dead-lettered (or dropped when the queue has no dead-letter exchange).
    package func nack(requeue: Bool = true) async throws {
        try await channel.settle(.nack(requeue: requeue), deliveryTag: deliveryTag, generation: generation)
    }

    /// Refuses the message: back to the queue if `requeue`, otherwise dead-lettered.
    package func reject(requeue: Bool = false) async throws {
        try await channel.settle(.reject(requeue: requeue), deliveryTag: deliveryTag, generation: generation)
    }
}
