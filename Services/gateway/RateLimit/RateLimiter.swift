import Foundation
import Logging
import Redis
import Synchronization

/// GCRA rate limiting (the generic cell rate algorithm: one timestamp per
/// client, the "theoretical arrival time") in Redis, shared by every gateway
/// replica, with the same algorithm in process while Redis is unreachable.
final class RateLimiter: Sendable {
    /// The verdict for one request, with what the `X-RateLimit-*` headers say.
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Seconds until the bucket is full again.
        var resetSeconds: Int
        /// Seconds to wait before retrying, when refused.
        var retryAfterSeconds: Int
    }

    let redis: RedisClient
    let logger: Logger
    private let local = Mutex<[String: Double]>([:])
    /// Whether the last Redis call failed (the in-process limiter is in use).
    let degraded = Atomic<Bool>(false)

    init(redis: RedisClient, logger: Logger) {
        self.redis = redis
        self.logger = logger
    }

    /// Counts one request of `key` against `limit`.
    func check(_ key: String, limit: RateLimit) async -> Decision {
        do {
            let reply = try await redis.evaluate(
                Self.script, keys: ["clipset:gateway:rate:" + key],
                arguments: [String(limit.intervalMilliseconds), String(limit.burst)])
            guard case .array(let values) = reply, values.count == 3,
                  case .integer(let allowed) = values[0], case .integer(let remaining) = values[1],
                  case .integer(let waitMilliseconds) = values[2]
            else { return localCheck(key, limit: limit) }
            if degraded.exchange(false, ordering: .relaxed) { logger.notice("rate limiting back on Redis") }
            return decision(allowed: allowed == 1, remaining: remaining, waitMilliseconds: Double(waitMilliseconds), limit: limit)
        } catch {
            if !degraded.exchange(true, ordering: .relaxed) {
                logger.warning("Redis unavailable: rate limiting in process", metadata: ["error": "\(error)"])
            }
            return localCheck(key, limit: limit)
        }
    }

    /// The same algorithm on this replica's own clock and memory.
    func localCheck(_ key: String, limit: RateLimit, now: Double = Date().timeIntervalSince1970 * 1000) -> Decision {
        local.withLock { table in
            if table.count > 100_000 { table = table.filter { $0.value > now } }
            let interval = limit.intervalMilliseconds
            let tat = max(table[key] ?? now, now)
            let allowAt = tat + interval - Double(limit.burst) * interval
            if allowAt > now {
                return decision(allowed: false, remaining: 0, waitMilliseconds: allowAt - now, limit: limit)
            }
            table[key] = tat + interval
            let remaining = Int(((now - allowAt) / interval).rounded(.down))
            return decision(allowed: true, remaining: remaining, waitMilliseconds: tat + interval - now, limit: limit)
        }
    }

    /// For an allowed request `waitMilliseconds` is the time to a full bucket; for a refused one, to the next token.
    private func decision(allowed: Bool, remaining: Int, waitMilliseconds: Double, limit: RateLimit) -> Decision {
        let seconds = max(1, Int((waitMilliseconds / 1000).rounded(.up)))
        return Decision(
            allowed: allowed, limit: limit.burst, remaining: max(0, min(remaining, limit.burst)),
            resetSeconds: allowed ? seconds : seconds, retryAfterSeconds: allowed ? 0 : seconds)
    }

    /// KEYS[1]: the client's key. ARGV: emission interval (ms), burst. Uses Redis's clock,
    /// so replicas agree. Returns {allowed, remaining, wait_ms}.
    static let script = RedisScript(source: """
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local allow_at = tat + interval - burst * interval
        if allow_at > now then
          return {0, 0, math.ceil(allow_at - now)}
        end
        local new_tat = tat + interval
        redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1000)
        return {1, math.floor((now - allow_at) / interval), math.ceil(new_tat - now)}
        """)
}
