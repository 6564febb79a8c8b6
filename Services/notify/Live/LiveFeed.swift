import Contracts
import Foundation
import Logging
import PostgresNIO

/// The stored side of the live stream: status events of each user's videos, numbered
/// per user, written in the inbox transaction of the media event they come from and
/// announced with `pg_notify` (delivered at commit, to every notify replica).
struct LiveFeed: Sendable {
    /// The PostgreSQL channel; the payload is the user's id.
    static let channel = "notify_live"

    /// How long events stay for `Last-Event-ID` replay.
    let retention: Duration

    /// Records `body` as the next event of `userID` and announces it at commit.
    func record(_ name: String, _ body: LiveStatusBody, for userID: UUID, event: UUID,
                on connection: PostgresConnection, logger: Logger) async throws {
        let data = String(decoding: try EventCoding.encoder().encode(body), as: UTF8.self)
        let keep = "\(Int((retention / .seconds(1)).rounded())) seconds"
        try await connection.query("""
            WITH cursor AS (
                INSERT INTO notify.live_cursors AS c (user_id, last_seq) VALUES (\(userID), 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = c.last_seq + 1
                RETURNING last_seq)
            INSERT INTO notify.live_events (user_id, seq, event_id, name, data)
            SELECT \(userID), last_seq, \(event), \(name), \(data)::jsonb FROM cursor
            """, logger: logger)
        try await connection.query("""
            DELETE FROM notify.live_events
            WHERE user_id = \(userID) AND created_at < clock_timestamp() - \(keep)::interval
            """, logger: logger)
        try await connection.query(
            "SELECT pg_notify(\(Self.channel), \(userID.uuidString.lowercased()))", logger: logger)
    }

    /// The user's latest event number (0 before the first).
    static func lastSeq(of userID: UUID, client: PostgresClient, logger: Logger) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT last_seq FROM notify.live_cursors WHERE user_id = \(userID)", logger: logger)
        for try await seq in rows.decode(Int64.self) { return seq }
        return 0
    }

    /// The user's events after `seq`, oldest first, at most `limit`.
    static func events(of userID: UUID, after seq: Int64, limit: Int, client: PostgresClient, logger: Logger)
        async throws -> [LiveMessage]
    {
        let rows = try await client.query("""
            SELECT seq, name, data::text FROM notify.live_events
            WHERE user_id = \(userID) AND seq > \(seq) ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var messages: [LiveMessage] = []
        for try await (seq, name, data) in rows.decode((Int64, String, String).self) {
            messages.append(LiveMessage(id: seq, name: name, data: data))
        }
        return messages
    }
}
