import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a service says about its own API, for the gateway: `GET /openapi.json`
/// (its OpenAPI 3.1 document, a resource of its target) and `GET /internal/routes`
/// (the routes its router had when this controller was added — add it last — so a
/// test can check the document covers them). The gateway proxies neither.
package struct OpenAPIController: Sendable {
    let document: URL?

    package init(document: URL?) { self.document = document }

    package func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("openapi.json") { _, _ -> Response in
            guard let document, let data = try? Data(contentsOf: document) else {
                throw APIError(.notFound, "This service publishes no OpenAPI document")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let routes = router.routes.map { RegisteredRoute(method: $0.method.rawValue, path: "\($0.path)") }
            .sorted { ($0.path, $0.method) < ($1.path, $1.method) }
        router.get("internal/routes") { _, _ -> Response in
            let data = try JSONEncoder().encode(routes)
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

/// One route of a service's router, e.g. `GET /api/users/:user_id`.
package struct RegisteredRoute: Codable, Sendable, Equatable {
    package var method: String
    package var path: String
}
