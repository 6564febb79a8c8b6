/// The data of one kind of event that services exchange over RabbitMQ.
///
/// Each payload names its routing key (`<service>.<entity>.<verb>`) and the
/// version of its shape, so the producer and every consumer agree at compile
/// time: changing a payload is a compile error wherever it is used.
package protocol EventPayload: Codable, Sendable {
    /// The routing key and envelope `type`, e.g. `auth.user.registered`.
    static var eventType: String { get }
    /// The version of the payload's shape; bumped on an incompatible change.
    static var eventVersion: Int { get }
}
