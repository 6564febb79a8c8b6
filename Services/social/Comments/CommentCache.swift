import Foundation
import Logging
import Metrics
import Redis
import Synchronization

/// Comment pages and markers in Redis, keyed by the video's `comments_version`:
/// every change bumps that version in the transaction that makes it, so a page
/// cached before the change is never read again (it expires after ``lifetime``).
/// Redis failing only costs the cache: reads go to PostgreSQL. A zero ``lifetime`` turns the
/// cache off (benchmarks compare the two). In front of Redis, each process keeps its latest
/// pages decoded (``LocalPageCache``): bench/social showed the JSON decode of a Redis hit
/// costing social more CPU than the query it saves.
///
/// Hits and misses are counted in `social_comment_cache_requests_total{result}`,
/// and `social_comment_cache_hit_ratio` is hits / (hits + misses) since start.
struct CommentCache: Sendable {
    let redis: RedisClient
    let lifetime: Duration
    let logger: Logger
    private let statistics = CacheStatistics()
    private let local = LocalPageCache()

    init(redis: RedisClient, lifetime: Duration = .seconds(600), logger: Logger) {
        self.redis = redis
        self.lifetime = lifetime
        self.logger = logger
    }

    /// The cached value of `key`, or `load()`'s, stored for the next reader.
    func value<Value: Codable & Sendable>(
        _ key: String, _ type: Value.Type, load: () async throws -> Value
    ) async throws -> Value {
        guard lifetime > .zero else { return try await load() }
        if let value = local.value(key, as: Value.self) {
            statistics.count(hit: true)
            return value
        }
        if let bytes = await cached(key), let value = try? JSONDecoder().decode(Value.self, from: Data(bytes)) {
            statistics.count(hit: true)
            local.store(key, value, bytes: bytes.count)
            return value
        }
        statistics.count(hit: false)
        let value = try await load()
        if let data = try? JSONEncoder().encode(value) {
            local.store(key, value, bytes: data.count)
            do {
                try await redis.set(key, to: Array(data), expiration: lifetime)
            } catch {
                logger.debug("comment cache not written", metadata: ["error": "\(error)"])
            }
        }
        return value
    }

    /// The key of a page of `video`'s comments at `version`.
    static func pageKey(video: UUID, version: Int64, sort: CommentSort, skip: Int, limit: Int) -> String {
        "social:comments:\(video.uuidString.lowercased()):\(version):\(sort.rawValue):\(skip):\(limit)"
    }

    /// The key of `video`'s markers at `version`.
    static func markersKey(video: UUID, version: Int64) -> String {
        "social:markers:\(video.uuidString.lowercased()):\(version)"
    }

    private func cached(_ key: String) async -> [UInt8]? {
        do {
            return try await redis.get(key)
        } catch {
            logger.debug("comment cache not read", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// The cache's hit and miss counts, exported as counters and a ratio.
private final class CacheStatistics: Sendable {
    private let counts = Mutex((hits: 0, misses: 0))
    private let hits = Counter(label: "social_comment_cache_requests_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "social_comment_cache_requests_total", dimensions: [("result", "miss")])
    private let ratio = Gauge(label: "social_comment_cache_hit_ratio")

    func count(hit: Bool) {
        (hit ? hits : misses).increment()
        let now = counts.withLock { counts in
            if hit { counts.hits += 1 } else { counts.misses += 1 }
            return counts
        }
        ratio.record(Double(now.hits) / Double(max(1, now.hits + now.misses)))
    }
}
