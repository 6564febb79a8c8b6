import Foundation
import HTTPTypes
import Configuration
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import ServiceKit

/// The routes and middleware every service gets from ``ServiceEnvironment/makeRouter(context:readiness:)``.
@Suite struct ServiceRouterTests {
    struct Broken: Error, CustomStringConvertible { var description: String { "connection refused" } }

    func makeEnvironment() -> ServiceEnvironment {
        ServiceEnvironment(
            name: "test", reader: ConfigReader(provider: InMemoryProvider(values: [:])), logger: Logger(label: "test"), metrics: PrometheusCollectorRegistry())
    }

    func app(readiness: [ReadinessCheck] = [], routes: (Router<BasicRequestContext>) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = makeEnvironment().makeRouter(context: BasicRequestContext.self, readiness: readiness)
        routes(router)
        return Application(router: router)
    }

    @Test func healthIsOKWithoutAnyDependency() async throws {
        try await app(readiness: [ReadinessCheck("postgres") { throw Broken() }]).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func readyNamesEachDependencyAndIs503WhenOneIsDown() async throws {
        let checks = [
            ReadinessCheck("postgres") {},
            ReadinessCheck("redis") { throw Broken() },
            ReadinessCheck("rabbitmq") { try await Task.sleep(for: .seconds(30)) },
        ]
        try await app(readiness: checks).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try JSONDecoder().decode(ReadyBody.self, from: Data(response.body.readableBytesView))
                #expect(body.status == "unavailable")
                #expect(body.checks["postgres"] == ReadinessResult(status: "ok", error: nil))
                #expect(body.checks["redis"] == ReadinessResult(status: "error", error: "connection refused"))
                #expect(body.checks["rabbitmq"]?.status == "error")
            }
        }
    }

    @Test func readyIsOKWhenEveryDependencyAnswers() async throws {
        try await app(readiness: [ReadinessCheck("postgres") {}]).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(ReadyBody.self, from: Data(response.body.readableBytesView))
                #expect(body.status == "ok")
            }
        }
    }

    @Test func unknownRouteIsA404WithTheDetailShape() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/no/such/thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["detail"] as? String == "Not Found")
                #expect(response.headers[.requestID] != nil)
            }
        }
    }

    @Test func unexpectedErrorIsAPlain500AndValidationIsA422List() async throws {
        let app = app { router in
            router.get("/crash") { _, _ -> String in throw Broken() }
            router.get("/invalid") { _, _ -> String in
                throw APIError(validation: [.init(loc: ["query", "page"], msg: "must be at least 1")])
            }
        }
        try await app.test(.router) { client in
            try await client.execute(uri: "/crash", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body) == #"{"detail":"Internal Server Error"}"#)
            }
            try await client.execute(uri: "/invalid", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let problems = body?["detail"] as? [[String: Any]]
                #expect(problems?.first?["msg"] as? String == "must be at least 1")
                #expect(problems?.first?["loc"] as? [String] == ["query", "page"])
            }
        }
    }

    @Test func requestIDIsEchoedWhenSaneAndReplacedOtherwise() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: "abc-123_x.y"]) { response in
                #expect(response.headers[.requestID] == "abc-123_x.y")
            }
            let hostile = "line\r\nbreak" + String(repeating: "x", count: 300)
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: String(hostile.prefix(200))]) { response in
                let id = try #require(response.headers[.requestID])
                #expect(id.count == 32)
                #expect(id.allSatisfy { $0.isHexDigit })
            }
        }
    }

    @Test func serviceUnavailableCarriesRetryAfter() async throws {
        let app = app { router in
            router.get("/down") { _, _ -> String in throw APIError.unavailable("storage is down", retryAfterSeconds: 7) }
        }
        try await app.test(.router) { client in
            try await client.execute(uri: "/down", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "7")
                #expect(String(buffer: response.body) == #"{"detail":"storage is down"}"#)
            }
        }
    }
}
