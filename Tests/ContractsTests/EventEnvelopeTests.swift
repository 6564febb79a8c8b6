import Foundation
import Testing

@testable import Contracts

/// The envelope's wire format and its ids.
@Suite struct EventEnvelopeTests {
    struct VideoRenamed: EventPayload, Equatable {
        static let eventType = "media.video.renamed"
        static let eventVersion = 2
        var videoId: Int
        var title: String

        enum CodingKeys: String, CodingKey {
            case videoId = "video_id"
            case title
        }
    }

    @Test func envelopeHasTheContractFieldsInSnakeCase() throws {
        let envelope = EventEnvelope(producer: "media", data: VideoRenamed(videoId: 7, title: "Café ☕"))
        let json = try JSONSerialization.jsonObject(with: EventCoding.encoder().encode(envelope)) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["id", "type", "version", "occurred_at", "producer", "data"])
        #expect(json?["type"] as? String == "media.video.renamed")
        #expect(json?["version"] as? Int == 2)
        #expect((json?["occurred_at"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func incomingEventDecodesTheTypedPayload() throws {
        let sent = EventEnvelope(producer: "media", data: VideoRenamed(videoId: 7, title: "Café ☕"))
        let incoming = try IncomingEvent(body: EventCoding.encoder().encode(sent))
        #expect(incoming.id == sent.id)
        #expect(incoming.type == VideoRenamed.eventType)
        #expect(abs(incoming.occurredAt.timeIntervalSince(sent.occurredAt)) < 0.001)
        #expect(try incoming.decode(VideoRenamed.self).data == sent.data)
    }

    @Test func wrongTypeOrGarbageIsAnErrorNotACrash() throws {
        struct Other: EventPayload { static let eventType = "auth.user.registered"; static let eventVersion = 1 }
        let sent = EventEnvelope(producer: "media", data: VideoRenamed(videoId: 1, title: "x"))
        let incoming = try IncomingEvent(body: EventCoding.encoder().encode(sent))
        #expect(throws: EventDecodingError.self) { try incoming.decode(Other.self) }
        #expect(throws: (any Error).self) { try IncomingEvent(body: Data("not json".utf8)) }
        #expect(throws: (any Error).self) { try IncomingEvent(body: Data(#"{"id":"x"}"#.utf8)) }
    }

    @Test func uuidV7IsVersion7AndOrderedByTime() {
        let earlier = UUIDv7.generate(at: Date(timeIntervalSince1970: 1_700_000_000))
        let later = UUIDv7.generate(at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(earlier.uuidString.lowercased() < later.uuidString.lowercased())
        let text = earlier.uuidString
        #expect(text[text.index(text.startIndex, offsetBy: 14)] == "7")
        #expect("89AB".contains(text[text.index(text.startIndex, offsetBy: 19)]))
    }
}
