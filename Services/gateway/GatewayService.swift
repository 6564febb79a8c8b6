import AsyncHTTPClient
import Configuration
import Foundation
import Hummingbird
import Identity
import Logging
import NIOCore
import NIOPosix
import Redis
import ServiceKit
import ServiceLifecycle

/// How the gateway is put together. It owns no schema: its only state is
/// rate-limit counters in Redis.
///
/// Configuration keys (besides ``GatewaySettings``'s, ``TokenSettings``' and ``RemoteJWKS``'):
/// - `redis.url` (`REDIS_URL`, default `redis://127.0.0.1:6379`).
/// - `gateway.upstream.connections` (`GATEWAY_UPSTREAM_CONNECTIONS`, default 64): connections per service.
enum GatewayService: ServiceDefinition {
    static let name = "gateway"
    static let defaultPort = 8080

    /// The gateway has no schema; `migrate` is a no-op so every service takes the same commands.
    static func migrate(_ environment: ServiceEnvironment) async throws {
        environment.logger.info("the gateway has no schema: nothing to migrate")
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let reader = environment.reader
        let logger = environment.logger
        let settings = try GatewaySettings(reader: reader)
        let redisURL = reader.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
        let client = makeHTTPClient(settings: settings, connections: reader.int(forKey: "gateway.upstream.connections", default: 64))
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()

        let addresses = ClientAddressResolver(reader: reader)
        let verifier = TokenVerifier(settings: TokenSettings(reader: reader), source: RemoteJWKS(reader: reader, client: client, logger: logger))
        // Deactivated users are refused by every service within a second; the edge checks the token only.
        let authentication = AuthenticationMiddleware(verifier: verifier, deactivated: DeactivatedUsers(logger: logger) { [] })
        let limiter = RateLimiter(redis: redis, logger: logger)
        let readiness = [ReadinessCheck("redis", degradable: true) { try await redis.ping() }]
        let web = WebUI(root: settings.webRoot, pool: pool, logger: logger)

        let router = Router(context: ClipsetRequestContext.self)
        // Outermost, so the gateway's own errors (401, 404, 429, 503, 504) carry CORS headers too.
        router.middlewares.add(CORSMiddleware(origins: settings.corsOrigins))
        // The web UI's files and pages count under its fallback route's template, `/**`.
        environment.addStandardMiddleware(to: router) { request in
            RouteTable.metricsRoute(method: request.method, path: request.uri.path)
        }
        router.middlewares.add(authentication)
        router.middlewares.add(EdgeMiddleware(
            proxy: UpstreamProxy(client: client, settings: settings, addresses: addresses),
            limiter: limiter, authentication: authentication, settings: settings))
        router.middlewares.add(web.fileMiddleware())
        ServicesHealth(client: client, settings: settings, gateway: HealthController(checks: readiness)).addRoutes(to: router)
        OpenAPIMerger(client: client, settings: settings, own: try ownDocument(), logger: logger).addRoutes(to: router)
        environment.addOperationalRoutes(to: router, readiness: readiness)
        web.addFallback(to: router)
        try await environment.run(
            router: router, defaultPort: defaultPort,
            services: [redis, GatewayClientsLifetime(client: client, pool: pool)])
    }

    /// One pooled client for every service: no redirects followed (they go back
    /// to the client), no decompression, a read timeout for services that hang.
    static func makeHTTPClient(settings: GatewaySettings, connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .milliseconds(Int64(settings.connectTimeoutMilliseconds)),
                read: .seconds(Int64(settings.upstreamTimeout))),
            decompression: .disabled)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The gateway's own part of the OpenAPI document (its resource `openapi.json`).
    static func ownDocument() throws -> JSONValue {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw GatewayConfigurationError("the gateway's openapi.json is missing from its bundle")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }
}

/// Shuts the HTTP client and the file thread pool down after the server stopped.
struct GatewayClientsLifetime: Service {
    let client: HTTPClient
    let pool: NIOThreadPool

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
        try await pool.shutdownGracefully()
    }
}
