import Foundation
import NIOCore

/// A message to publish, with the properties Clipset uses.
package struct AMQPOutgoingMessage: Sendable, Hashable {
    /// The exchange to publish to (`""` is the default exchange, which routes by queue name).
    package var exchange: String
    /// The routing key (`media.video.processed`, or a queue name on the default exchange).
    package var routingKey: String
    /// The body.
    package var body: [UInt8]
    /// The message id consumers deduplicate on (the event's id).
    package var messageId: String?
    /// The content type (`application/json` by default).
    package var contentType: String
    /// Whether the broker writes the message to disk (delivery mode 2); true by default.
    package var persistent: Bool
    /// Application headers.
    package var headers: [String: String]
    /// When the message was made, sent with one-second precision.
    package var timestamp: Date?

    /// Creates a message from bytes.
    package init(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        messageId: String? = nil,
        contentType: String = "application/json",
        persistent: Bool = true,
        headers: [String: String] = [:],
        timestamp: Date? = nil
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.contentType = contentType
        self.persistent = persistent
        self.headers = headers
        self.timestamp = timestamp
    }

    /// Creates a message from the readable bytes of a buffer.
    package init(
        exchange: String,
        routingKey: String,
        body: ByteBuffer,
        messageId: String? = nil,
        contentType: String = "application/json",
        persistent: Bool = true,
        headers: [String: String] = [:],
        timestamp: Date? = nil
    ) {
        self.init(
            exchange: exchange, routingKey: routingKey, body: Array(body.readableBytesView), messageId: messageId,
            contentType: contentType, persistent: persistent, headers: headers, timestamp: timestamp
        )
    }
}
