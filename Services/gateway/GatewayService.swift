import Configuration
import Hummingbird
import Logging
import Redis
import ServiceKit

/// How the gateway is put together. It owns no schema: its only state is
/// rate-limit counters in Redis.
///
/// Configuration keys:
/// - `redis.url` (`REDIS_URL`, default `redis://127.0.0.1:6379`).
enum GatewayService: ServiceDefinition {
    static let name = "gateway"
    static let defaultPort = 8080

    /// The gateway has no schema; `migrate` is a no-op so every service takes the same commands.
    static func migrate(_ environment: ServiceEnvironment) async throws {
        environment.logger.info("the gateway has no schema: nothing to migrate")
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let redisURL = environment.reader.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: environment.logger)
        let readiness = [ReadinessCheck("redis") { try await redis.ping() }]
        let router = environment.makeRouter(context: BasicRequestContext.self, readiness: readiness)
        try await environment.run(router: router, defaultPort: defaultPort, services: [redis])
    }
}
