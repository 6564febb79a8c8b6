import Database
import Foundation
import Logging
import PostgresNIO
import Redis
import ServiceKit

/// Counts views in Redis and adds them to `media.videos.view_count` in batches
/// (``flush()``), so a popular video costs one row update per batch, not per view.
///
/// Views wait in the hash `media:views:pending`. A flush renames it to
/// `media:views:flushing` with a batch id, adds the batch in one transaction that also
/// records the id in `media.view_batches`, then deletes it: a flush that dies half-way is
/// finished by the next one, and a batch is never added twice. A count read adds what is
/// still in Redis, so nobody ever sees a count behind their own view (it can be ahead for
/// the moment a batch takes to commit). Without Redis, views go straight to the row.
struct ViewCounter: Sendable {
    let redis: RedisClient
    let postgres: PostgresClient
    let logger: Logger

    static let pendingKey = "media:views:pending"
    static let flushingKey = "media:views:flushing"
    static let batchKey = "media:views:batch"

    /// Adds one view; returns the count including it.
    func record(_ video: VideoRecord) async throws -> Int64 {
        let waiting: WaitingViews
        do {
            let reply = try await redis.evaluate(Self.recordScript, keys: Self.keys, arguments: [video.id.apiString])
            waiting = WaitingViews(reply)
        } catch {
            logger.warning("view counted in PostgreSQL: Redis failed", metadata: ["error": "\(error)"])
            let rows = try await postgres.rows(
                "UPDATE media.videos SET view_count = view_count + 1 WHERE id = \(video.id) RETURNING view_count", logger: logger)
            return try rows.first?.decode(Int64.self) ?? video.viewCount + 1
        }
        let (count, applied) = try await stored(video.id, batch: waiting.batch)
        return count + (waiting.pending.first ?? 0) + (applied ? 0 : waiting.flushing.first ?? 0)
    }

    /// The counts of `videos` as readers should see them: stored plus waiting in Redis.
    /// Falls back to the stored counts when Redis fails.
    func counts(for videos: [VideoRecord]) async -> [UUID: Int64] {
        var counts = Dictionary(videos.map { ($0.id, $0.viewCount) }, uniquingKeysWith: { first, _ in first })
        guard !videos.isEmpty else { return counts }
        do {
            let ids = videos.map(\.id.apiString)
            let waiting = WaitingViews(try await redis.evaluate(Self.readScript, keys: Self.keys, arguments: ids))
            let applied = try await isApplied(waiting.batch)
            for (index, video) in videos.enumerated() {
                counts[video.id] = video.viewCount + waiting.pending[index] + (applied ? 0 : waiting.flushing[index])
            }
        } catch {
            logger.debug("view counts without Redis", metadata: ["error": "\(error)"])
        }
        return counts
    }

    /// The row's count, and whether `batch` is already in it.
    private func stored(_ id: UUID, batch: String?) async throws -> (Int64, Bool) {
        let rows = try await postgres.rows("""
            SELECT view_count, EXISTS (SELECT 1 FROM media.view_batches WHERE batch_id::text = \(batch ?? ""))
            FROM media.videos WHERE id = \(id)
            """, logger: logger)
        guard let row = rows.first else { return (0, true) }
        return try row.decode((Int64, Bool).self)
    }

    private func isApplied(_ batch: String?) async throws -> Bool {
        guard let batch else { return false }
        let rows = try await postgres.rows(
            "SELECT 1 FROM media.view_batches WHERE batch_id::text = \(batch)", logger: logger)
        return !rows.isEmpty
    }

    static let keys = [pendingKey, flushingKey, batchKey]

    /// HINCRBY the pending count; reply: {pending, flushing, batch} for that id.
    static let recordScript = RedisScript(source: """
        local pending = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        local flushing = redis.call('HGET', KEYS[2], ARGV[1]) or '0'
        return {{pending}, {flushing}, redis.call('GET', KEYS[3]) or ''}
        """)

    /// Reply: {pending counts}, {flushing counts}, batch, for the ids given, read atomically.
    static let readScript = RedisScript(source: """
        local pending = redis.call('HMGET', KEYS[1], unpack(ARGV))
        local flushing = redis.call('HMGET', KEYS[2], unpack(ARGV))
        for i = 1, #ARGV do pending[i] = pending[i] or '0'; flushing[i] = flushing[i] or '0' end
        return {pending, flushing, redis.call('GET', KEYS[3]) or ''}
        """)
}

/// The views Redis holds for some videos, from ``ViewCounter``'s scripts.
struct WaitingViews {
    var pending: [Int64] = []
    var flushing: [Int64] = []
    var batch: String?

    init(_ reply: RedisValue) {
        guard case .array(let parts) = reply, parts.count == 3 else { return }
        pending = Self.numbers(parts[0])
        flushing = Self.numbers(parts[1])
        batch = parts[2].string.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func numbers(_ value: RedisValue) -> [Int64] {
        guard case .array(let items) = value else { return [] }
        return items.map { Int64($0.int ?? 0) }
    }
}
