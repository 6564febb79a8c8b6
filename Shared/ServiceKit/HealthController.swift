import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/health` (the process is alive) and `/ready` (its dependencies answer).
///
/// Orchestrators restart a process whose `/health` fails and stop sending it
/// traffic while `/ready` fails, so `/health` never depends on anything else.
package struct HealthController: Sendable {
    let checks: [ReadinessCheck]
    let timeout: Duration

    package init(checks: [ReadinessCheck], timeout: Duration = .seconds(2)) {
        self.checks = checks
        self.timeout = timeout
    }

    package func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/health") { _, _ in Self.json(.ok, HealthBody(status: "ok")) }
        router.get("/ready") { _, _ in try await ready() }
    }

    /// The readiness report: every check runs at once, each bounded by the timeout.
    package func report() async -> ReadyBody {
        let results = await withTaskGroup(of: (String, ReadinessResult).self) { group in
            for check in checks {
                group.addTask { (check.name, await check.run(timeout: timeout)) }
            }
            var results: [String: ReadinessResult] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
        let statuses = Set(results.values.map(\.status))
        let status = statuses.contains("error") ? "unavailable" : statuses.contains("degraded") ? "degraded" : "ok"
        return ReadyBody(status: status, checks: results)
    }

    private func ready() async throws -> Response {
        let body = await report()
        if body.status != "unavailable" { return Self.json(.ok, body) }
        var response = Self.json(.serviceUnavailable, body)
        response.headers[.retryAfter] = "5"
        return response
    }

    private static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// The body of `/health`.
package struct HealthBody: Codable, Sendable {
    package var status: String
}

/// The body of `/ready`: the overall status and one entry per dependency.
package struct ReadyBody: Codable, Sendable {
    package var status: String
    package var checks: [String: ReadinessResult]
}
