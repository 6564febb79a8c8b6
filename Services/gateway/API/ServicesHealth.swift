import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// `GET /api/health`: the readiness of the gateway and of every service,
/// asked at once, each bounded by two seconds; 503 when any is not ready.
struct ServicesHealth: Sendable {
    let client: HTTPClient
    let settings: GatewaySettings
    let gateway: HealthController

    /// One service's answer.
    struct Status: Codable, Sendable {
        var status: String
        var checks: [String: ReadinessResult]?
        var error: String?
    }

    /// The whole report.
    struct Report: Codable, Sendable {
        var status: String
        var services: [String: Status]
    }

    func report() async -> Report {
        var services = await withTaskGroup(of: (String, Status).self) { group in
            for upstream in Upstream.allCases {
                group.addTask { (upstream.rawValue, await ready(upstream)) }
            }
            var statuses: [String: Status] = [:]
            for await (name, status) in group { statuses[name] = status }
            return statuses
        }
        let own = await gateway.report()
        services["gateway"] = Status(status: own.status, checks: own.checks, error: nil)
        let down = services.values.contains { $0.status != "ok" && $0.status != "degraded" }
        return Report(status: down ? "unavailable" : "ok", services: services)
    }

    private func ready(_ upstream: Upstream) async -> Status {
        do {
            let request = HTTPClientRequest(url: (settings.upstreams[upstream] ?? "") + "/ready")
            let response = try await client.execute(request, timeout: .seconds(2))
            let body = try await response.body.collect(upTo: 1 << 16)
            let ready = try JSONDecoder().decode(ReadyBody.self, from: Data(body.readableBytesView))
            return Status(status: ready.status, checks: ready.checks, error: nil)
        } catch {
            return Status(status: "unavailable", checks: nil, error: "not reachable")
        }
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("api/health") { _, _ -> Response in
            let report = await report()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            var response = Response(
                status: report.status == "ok" ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(report))))
            if report.status != "ok" { response.headers[.retryAfter] = "5" }
            return response
        }
    }
}
