import Contracts
import Foundation
import Database
import Logging
import PostgresNIO

/// Writes events into a service's outbox table, inside the caller's transaction.
///
/// The state change and its event commit or roll back together; the
/// ``OutboxRelay`` publishes committed rows afterwards. Nothing is published
/// for a transaction that rolled back, and nothing committed is ever lost.
package struct Outbox: Sendable {
    /// The schema that holds the `outbox` table (the service's own).
    package let schema: String
    /// The envelope's `producer`: the service's name.
    package let producer: String

    package init(schema: String, producer: String) {
        self.schema = schema
        self.producer = producer
    }

    /// Adds an event to the outbox on `connection`, which must be inside the
    /// transaction that makes the change the event announces.
    @discardableResult
    package func enqueue<Payload: EventPayload>(
        _ payload: Payload, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventEnvelope<Payload> {
        let envelope = EventEnvelope(producer: producer, data: payload)
        let body = String(decoding: try EventCoding.encoder().encode(envelope), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (id, routing_key, body)
            VALUES (\(envelope.id), \(envelope.type), \(body))
            """, logger: logger)
        return envelope
    }
}
