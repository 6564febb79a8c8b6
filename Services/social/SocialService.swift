import Foundation
import Infrastructure
import Messaging
import ServiceKit

/// How the social service is put together: its schema, its read models of
/// users and videos, and the routes of categories, playlists and comments.
enum SocialService: SchemaOwningService {
    static let name = "social"
    static let defaultPort = 8083
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }
    /// The events of social's read models of users and videos.
    static var consumedEvents: [String] {
        identityEvents + EventHandlers.routingKeys(registeredBy: SocialReadModels.register(in:))
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        try await run(environment) { setup in
            let parts = SocialParts(environment: environment, infrastructure: setup.infrastructure)
            parts.addRoutes(to: setup.router)
            SocialReadModels.register(in: &setup.eventHandlers)
        }
    }
}
