/// An error of the AMQP module: what went wrong, in words, and whether trying
/// again later can help.
///
/// Broker refusals carry the AMQP reply code (403, 404, 406, …) in
/// ``replyCode``; errors of rabbitmq-c carry its status in ``libraryStatus``.
package struct AMQPError: Error, Sendable, Hashable {
    /// The kind of failure.
    package enum Code: String, Sendable, Hashable {
        /// The configuration or URL is unusable.
        case invalidConfiguration
        /// The broker could not be reached or the handshake failed.
        case connectionFailed
        /// An open connection was lost (socket error, broker restart, missed heartbeats).
        case connectionLost
        /// The broker did not answer in time; the connection was dropped.
        case timeout
        /// The broker refused the login or the operation (AMQP 403, 530).
        case accessRefused
        /// An exchange or queue does not exist (AMQP 404).
        case notFound
        /// A declaration conflicts with what exists, or a tag is unknown (AMQP 406).
        case preconditionFailed
        /// A queue is held exclusively by another connection (AMQP 405).
        case resourceLocked
        /// Another broker error (AMQP 320, 5xx other than 530).
        case brokerError
        /// The broker refused to take responsibility for a published message (basic.nack).
        case nacked
        /// A delivery came from a connection that is gone; the broker redelivers it.
        case deliveryExpired
        /// A delivery was already acknowledged, rejected or negatively acknowledged.
        case alreadySettled
        /// The publisher or consumer was closed.
        case closed
        /// rabbitmq-c failed in a way that is not about the connection (memory, bad data).
        case libraryError
    }

    /// The kind of failure.
    package let code: Code
    /// What happened, for people.
    package let message: String
    /// The AMQP reply code the broker sent, if the broker refused something.
    package let replyCode: UInt16?
    /// The rabbitmq-c status (`amqp_status_enum`), if the library reported the error.
    package let libraryStatus: Int32?

    /// Creates an error.
    package init(_ code: Code, _ message: String, replyCode: UInt16? = nil, libraryStatus: Int32? = nil) {
        self.code = code
        self.message = message
        self.replyCode = replyCode
        self.libraryStatus = libraryStatus
    }

    /// Whether the same operation may succeed later, on this or a new connection.
    ///
    /// Lost connections, time-outs and nacks are retriable; refusals that are
    /// about the request itself (access refused, not found, precondition
    /// failed) and misuse are not.
    package var isRetriable: Bool {
        switch code {
        case .connectionFailed, .connectionLost, .timeout, .resourceLocked, .brokerError, .nacked, .deliveryExpired:
            true
        case .invalidConfiguration, .accessRefused, .notFound, .preconditionFailed, .alreadySettled, .closed,
            .libraryError:
            false
        }
    }
}

extension AMQPError: CustomStringConvertible {
    /// The code, the reply code or library status when there is one, and the message.
    package var description: String {
        var text = "AMQPError.\(code.rawValue)"
        if let replyCode { text += " (\(replyCode))" }
        if let libraryStatus { text += " (status \(libraryStatus))" }
        return text + ": " + message
    }
}
