import Configuration
import HTTPTypes
import Logging
import Redis
import ServiceKit

/// Fixed-window attempt counters in Redis, shared by every auth replica:
/// login and password-reset requests per account and per client address.
/// With Redis unreachable the throttle lets requests through (logged): sign-in
/// stays possible, and bcrypt's cost still bounds guessing.
struct Throttle: Sendable {
    /// At most `limit` attempts per `window` seconds.
    struct Rule: Sendable, Equatable {
        var limit: Int
        var window: Int

        /// Parses `limit/window_seconds`, e.g. `10/900`.
        init(_ spec: String) throws {
            let parts = spec.split(separator: "/")
            guard parts.count == 2, let limit = Int(parts[0]), let window = Int(parts[1]), limit > 0, window > 0 else {
                throw AuthConfigurationError("a throttle rule is `limit/window_seconds`, not \(spec)")
            }
            self.limit = limit
            self.window = window
        }
    }

    /// The four rules.
    ///
    /// Configuration keys (format `limit/window_seconds`):
    /// - `throttle.login.account` (`THROTTLE_LOGIN_ACCOUNT`, default `10/900`): failed logins per username.
    /// - `throttle.login.address` (`THROTTLE_LOGIN_ADDRESS`, default `30/60`): logins per client address.
    /// - `throttle.reset.account` (`THROTTLE_RESET_ACCOUNT`, default `3/3600`): reset requests per email.
    /// - `throttle.reset.address` (`THROTTLE_RESET_ADDRESS`, default `10/3600`): reset requests per address.
    struct Rules: Sendable {
        var loginAccount: Rule
        var loginAddress: Rule
        var resetAccount: Rule
        var resetAddress: Rule

        init(reader: ConfigReader) throws {
            loginAccount = try Rule(reader.string(forKey: "throttle.login.account", default: "10/900"))
            loginAddress = try Rule(reader.string(forKey: "throttle.login.address", default: "30/60"))
            resetAccount = try Rule(reader.string(forKey: "throttle.reset.account", default: "3/3600"))
            resetAddress = try Rule(reader.string(forKey: "throttle.reset.address", default: "10/3600"))
        }
    }

    let redis: RedisClient
    let rules: Rules
    let logger: Logger

    /// Counts an attempt; the seconds to wait when it goes over the limit, else nil.
    func hit(_ key: String, _ rule: Rule) async -> Int? {
        await run(Self.hitScript, key, rule) { count, ttl in count > rule.limit ? ttl : nil }
    }

    /// The seconds to wait when `key` is at its limit already, without counting.
    func check(_ key: String, _ rule: Rule) async -> Int? {
        await run(Self.peekScript, key, rule) { count, ttl in count >= rule.limit ? ttl : nil }
    }

    /// Forgets the attempts of `key` (a successful login clears its failures).
    func clear(_ key: String) async {
        do { _ = try await redis.del(Self.prefix + key) } catch {
            logger.warning("throttle unavailable", metadata: ["error": "\(error)"])
        }
    }

    private func run(_ script: RedisScript, _ key: String, _ rule: Rule, decide: (Int, Int) -> Int?) async -> Int? {
        do {
            let reply = try await redis.evaluate(script, keys: [Self.prefix + key], arguments: [String(rule.window)])
            guard case .array(let values) = reply, values.count == 2,
                  case .integer(let count) = values[0], case .integer(let ttl) = values[1]
            else { return nil }
            return decide(count, max(1, ttl))
        } catch {
            logger.warning("throttle unavailable; letting the request through", metadata: ["error": "\(error)"])
            return nil
        }
    }

    static let prefix = "clipset:auth:throttle:"

    static let hitScript = RedisScript(source: """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('TTL', KEYS[1])
        if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
        return {n, ttl}
        """)

    static let peekScript = RedisScript(source: """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        return {n, redis.call('TTL', KEYS[1])}
        """)
}

extension APIError {
    /// The 429 of a throttled request.
    static func throttled(retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, "Too many attempts. Try again in \(seconds) seconds.", headers: [.retryAfter: String(seconds)])
    }
}
