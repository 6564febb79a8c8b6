import Contracts
import Logging
import PostgresNIO

/// What a service does with each kind of event it consumes.
///
/// A handler runs inside the transaction that also records the event in the
/// inbox, on the connection it is given, so its writes and the inbox row
/// commit together.
package struct EventHandlers: Sendable {
    /// One event's effect, given the transaction's connection.
    package typealias Handler = @Sendable (IncomingEvent, PostgresConnection, Logger) async throws -> Void

    private(set) var handlers: [String: Handler] = [:]

    package init() {}

    /// Handles events of `Payload`'s type with a typed envelope.
    package mutating func on<Payload: EventPayload>(
        _: Payload.Type,
        _ handle: @escaping @Sendable (EventEnvelope<Payload>, PostgresConnection, Logger) async throws -> Void
    ) {
        handlers[Payload.eventType] = { event, connection, logger in
            try await handle(try event.decode(Payload.self), connection, logger)
        }
    }

    /// Handles events of a routing key without decoding the payload.
    package mutating func on(type: String, _ handle: @escaping Handler) {
        handlers[type] = handle
    }

    /// The routing keys to bind the service's queue to.
    package var routingKeys: [String] { handlers.keys.sorted() }

    /// The routing keys that `register` handles, without running anything: for a service's
    /// static list of the events it consumes.
    package static func routingKeys(registeredBy register: (inout EventHandlers) -> Void) -> [String] {
        var handlers = EventHandlers()
        register(&handlers)
        return handlers.routingKeys
    }

    func handler(for type: String) -> Handler? { handlers[type] }
}
