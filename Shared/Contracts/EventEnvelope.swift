import Foundation

/// The envelope around every event: who said what, when, with which id.
///
/// Serialised as JSON with snake_case keys: `id`, `type`, `version`,
/// `occurred_at` (RFC 3339), `producer`, `data`. The `id` is what consumers
/// record in their inbox, so a redelivered event is applied once.
package struct EventEnvelope<Payload: EventPayload>: Codable, Sendable {
    package var id: UUID
    package var type: String
    package var version: Int
    package var occurredAt: Date
    package var producer: String
    package var data: Payload

    /// A new event with a fresh time-ordered id.
    package init(producer: String, data: Payload, id: UUID = UUIDv7.generate(), occurredAt: Date = Date()) {
        self.id = id
        self.type = Payload.eventType
        self.version = Payload.eventVersion
        self.occurredAt = occurredAt
        self.producer = producer
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, type, version, producer, data
        case occurredAt = "occurred_at"
    }
}

/// An event as it arrives, before the consumer picks the payload type by `type`.
package struct IncomingEvent: Sendable {
    package let id: UUID
    package let type: String
    package let version: Int
    package let occurredAt: Date
    package let producer: String
    /// The whole envelope as received, to decode the payload from.
    package let body: Data

    /// Reads the envelope's header fields; throws when the body is not an envelope.
    package init(body: Data) throws {
        let header = try EventCoding.decoder().decode(Header.self, from: body)
        self.id = header.id
        self.type = header.type
        self.version = header.version
        self.occurredAt = header.occurredAt
        self.producer = header.producer
        self.body = body
    }

    /// The typed envelope; throws when `type` or the payload's shape do not match.
    package func decode<Payload: EventPayload>(_: Payload.Type) throws -> EventEnvelope<Payload> {
        guard type == Payload.eventType else {
            throw EventDecodingError(message: "event \(id) is \(type), not \(Payload.eventType)")
        }
        return try EventCoding.decoder().decode(EventEnvelope<Payload>.self, from: body)
    }

    private struct Header: Decodable {
        let id: UUID
        let type: String
        let version: Int
        let occurredAt: Date
        let producer: String

        enum CodingKeys: String, CodingKey {
            case id, type, version, producer
            case occurredAt = "occurred_at"
        }
    }
}

/// An event that cannot be read as the type the consumer asked for.
package struct EventDecodingError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
