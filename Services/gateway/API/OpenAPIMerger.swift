import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import NIOCore
import ServiceKit
import Synchronization

/// `GET /api/openapi.json`: one OpenAPI 3.1 document of the whole public API,
/// merged from the gateway's own and the one each service publishes at
/// `/openapi.json` (paths, components and tags joined by name). Each service's
/// document is fetched at most every 30 s; when a service is down its last
/// document is used.
final class OpenAPIMerger: Sendable {
    let client: HTTPClient
    let settings: GatewaySettings
    let own: JSONValue
    let logger: Logger
    private let cache = Mutex<[Upstream: (document: JSONValue, fetched: ContinuousClock.Instant)]>([:])

    init(client: HTTPClient, settings: GatewaySettings, own: JSONValue, logger: Logger) {
        self.client = client
        self.settings = settings
        self.own = own
        self.logger = logger
    }

    func document() async -> JSONValue {
        var merged = own
        for upstream in Upstream.allCases {
            if let document = await serviceDocument(upstream) { merged = Self.merge(document, into: merged) }
        }
        return merged
    }

    /// Joins `document`'s paths (operation by operation), components (entry by
    /// entry) and tags into `base`.
    static func merge(_ document: JSONValue, into base: JSONValue) -> JSONValue {
        guard case .object(var target) = base, case .object(let source) = document else { return base }
        if case .object(let paths) = source["paths"] {
            var targetPaths = target["paths"]?.objectValue ?? [:]
            for (path, item) in paths {
                targetPaths[path] = .object((targetPaths[path]?.objectValue ?? [:]).merging(item.objectValue ?? [:]) { $1 })
            }
            target["paths"] = .object(targetPaths)
        }
        if case .object(let components) = source["components"] {
            var targetComponents = target["components"]?.objectValue ?? [:]
            for (section, entries) in components {
                let existing = targetComponents[section]?.objectValue ?? [:]
                targetComponents[section] = .object(existing.merging(entries.objectValue ?? [:]) { $1 })
            }
            target["components"] = .object(targetComponents)
        }
        if case .array(let tags) = source["tags"] {
            var targetTags = target["tags"]?.arrayValue ?? []
            for tag in tags where !targetTags.contains(where: { $0.objectValue?["name"] == tag.objectValue?["name"] }) {
                targetTags.append(tag)
            }
            target["tags"] = .array(targetTags)
        }
        return .object(target)
    }

    private func serviceDocument(_ upstream: Upstream) async -> JSONValue? {
        let cached = cache.withLock { $0[upstream] }
        if let cached, ContinuousClock.now - cached.fetched < .seconds(30) { return cached.document }
        do {
            let request = HTTPClientRequest(url: (settings.upstreams[upstream] ?? "") + "/openapi.json")
            let response = try await client.execute(request, timeout: .seconds(3))
            guard response.status == .ok else { throw OpenAPIFetchError(status: Int(response.status.code)) }
            let body = try await response.body.collect(upTo: 4 << 20)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
            cache.withLock { $0[upstream] = (document, .now) }
            return document
        } catch {
            logger.warning("no OpenAPI document from a service", metadata: ["upstream": "\(upstream.rawValue)", "error": "\(error)"])
            return cached?.document
        }
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("api/openapi.json") { _, _ -> Response in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(await self.document()))))
        }
    }
}

/// A service answered its `/openapi.json` with something other than 200.
struct OpenAPIFetchError: Error, CustomStringConvertible {
    let status: Int
    var description: String { "answered \(status)" }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
}
