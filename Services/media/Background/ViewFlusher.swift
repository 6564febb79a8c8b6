import Contracts
import Database
import Foundation
import Logging
import Messaging
import PostgresNIO
import Redis
import ServiceLifecycle

/// Adds the views waiting in Redis to the videos' rows every `interval` (see ``ViewCounter``).
struct ViewFlusher: Service {
    let redis: RedisClient
    let postgres: PostgresClient
    /// Each batch announces the new counts (`media.video.views`) in its transaction.
    let outbox: Outbox
    /// Woken after a batch, so the counts go out at once.
    let relay: OutboxRelay
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Cancellation (shutdown) ends the loop quietly: it is how this service stops, not a failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                do {
                    try await flush()
                } catch {
                    logger.warning("view flush failed; retried next time", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Moves one batch from Redis into PostgreSQL; returns the views added (0 when none waited
    /// or the batch had already been added by another replica or an earlier, interrupted flush).
    @discardableResult
    func flush() async throws -> Int64 {
        let reply = try await redis.evaluate(Self.claimScript, keys: ViewCounter.keys, arguments: [UUID().uuidString.lowercased()])
        guard let batchText = reply.string, let batch = UUID(uuidString: batchText) else { return 0 }
        let entries = try await redis.send(["HGETALL", ViewCounter.flushingKey])
        var ids: [UUID] = []
        var counts: [Int64] = []
        if case .array(let items) = entries {
            for pair in stride(from: 0, to: items.count - 1, by: 2) {
                guard let id = items[pair].string.flatMap(UUID.init(uuidString:)), let count = items[pair + 1].int else { continue }
                ids.append(id)
                counts.append(Int64(count))
            }
        }
        let batchIDs = ids, batchCounts = counts
        let added = try await postgres.transaction(logger: logger) { connection -> Int64 in
            let claimed = try await connection.query(
                "INSERT INTO media.view_batches (batch_id) VALUES (\(batch)) ON CONFLICT DO NOTHING RETURNING batch_id",
                logger: logger).collect()
            guard !claimed.isEmpty, !batchIDs.isEmpty else { return 0 }
            let counts = try await connection.query("""
                UPDATE media.videos v SET view_count = v.view_count + b.views
                FROM unnest(\(batchIDs)::uuid[], \(batchCounts)::bigint[]) AS b(id, views) WHERE v.id = b.id
                RETURNING v.id, v.view_count
                """, logger: logger).collect().map { row in
                let (id, count) = try row.decode((UUID, Int64).self)
                return VideoViewsCounted.Count(videoID: id, viewCount: count)
            }
            if !counts.isEmpty {
                try await outbox.enqueue(VideoViewsCounted(counts: counts), on: connection, logger: logger)
            }
            try await connection.query(
                "DELETE FROM media.view_batches WHERE applied_at < clock_timestamp() - interval '1 day'", logger: logger)
            return batchCounts.reduce(0, +)
        }
        if added > 0 { relay.wake() }
        _ = try await redis.evaluate(Self.releaseScript, keys: ViewCounter.keys, arguments: [batchText])
        if added > 0 { logger.debug("views flushed", metadata: ["views.added": "\(added)", "views.videos": "\(ids.count)"]) }
        return added
    }

    /// Returns the batch to flush: the one left by an interrupted flush, else the pending
    /// views renamed into a new batch (ARGV[1]); nil when nothing waits.
    static let claimScript = RedisScript(source: """
        if redis.call('EXISTS', KEYS[2]) == 1 then return redis.call('GET', KEYS[3]) end
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('SET', KEYS[3], ARGV[1])
        return ARGV[1]
        """)

    /// Drops the flushed batch, if it is still the current one.
    static let releaseScript = RedisScript(source: """
        if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[2], KEYS[3]) end
        return 1
        """)
}
