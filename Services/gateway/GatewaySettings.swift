import Configuration
import Foundation

/// The gateway's settings.
///
/// Configuration keys:
/// - `auth.url`, `media.url`, `social.url`, `notify.url` (`AUTH_URL` …, defaults
///   `http://127.0.0.1:8081` … `8084`): where each service listens.
/// - `gateway.upstream.timeout` (`GATEWAY_UPSTREAM_TIMEOUT`, seconds, default 30): a service
///   that sends nothing for this long after the request is a 504.
/// - `gateway.connect.timeout.ms` (`GATEWAY_CONNECT_TIMEOUT_MS`, default 2000).
/// - `web.root` (`WEB_ROOT`, default `web`): the UI's files.
/// - `cors.origins` (`CORS_ORIGINS`, default none): allowed browser origins, comma separated, `*` for any.
/// - `rate.limit.anon`, `rate.limit.user` (`RATE_LIMIT_ANON`, `RATE_LIMIT_USER`, `rate/burst`,
///   requests per second and bucket size, defaults `30/60` and `200/400`).
struct GatewaySettings: Sendable {
    var upstreams: [Upstream: String]
    var upstreamTimeout: Int
    var connectTimeoutMilliseconds: Int
    var webRoot: String
    var corsOrigins: Set<String>
    var anonymousLimit: RateLimit
    var userLimit: RateLimit

    init(reader: ConfigReader) throws {
        var upstreams: [Upstream: String] = [:]
        for upstream in Upstream.allCases {
            var url = reader.string(forKey: ConfigKey("\(upstream.rawValue).url"), default: "http://127.0.0.1:\(upstream.defaultPort)")
            while url.hasSuffix("/") { url.removeLast() }
            upstreams[upstream] = url
        }
        self.upstreams = upstreams
        upstreamTimeout = max(1, reader.int(forKey: "gateway.upstream.timeout", default: 30))
        connectTimeoutMilliseconds = max(100, reader.int(forKey: "gateway.connect.timeout.ms", default: 2000))
        webRoot = reader.string(forKey: "web.root", default: "web")
        corsOrigins = Set(reader.string(forKey: "cors.origins", default: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        anonymousLimit = try RateLimit(reader.string(forKey: "rate.limit.anon", default: "30/60"))
        userLimit = try RateLimit(reader.string(forKey: "rate.limit.user", default: "200/400"))
    }
}

/// A request rate (per second) and the burst a client may spend at once.
struct RateLimit: Sendable, Equatable {
    var rate: Double
    var burst: Int

    /// Parses `rate/burst`, e.g. `30/60`.
    init(_ spec: String) throws {
        let parts = spec.split(separator: "/")
        guard parts.count == 2, let rate = Double(parts[0]), let burst = Int(parts[1]), rate > 0, burst > 0 else {
            throw GatewayConfigurationError("a rate limit is `rate/burst` (requests per second / bucket size), not \(spec)")
        }
        self.rate = rate
        self.burst = burst
    }

    /// Milliseconds between two requests at the steady rate.
    var intervalMilliseconds: Double { 1000 / rate }
}

/// A setting the gateway cannot start with.
struct GatewayConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
