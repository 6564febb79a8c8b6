import Foundation
import Hummingbird
import Infrastructure
import ServiceKit

/// How the social service is put together: its schema, its clients and its routes.
enum SocialService: ServiceDefinition {
    static let name = "social"
    static let defaultPort = 8083

    static func migrate(_ environment: ServiceEnvironment) async throws {
        try await Infrastructure.migrate(environment: environment, schema: name, directory: migrationsFolder)
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        try await migrate(environment)
        let infrastructure = try Infrastructure(environment: environment, schema: name)
        let router = environment.makeRouter(context: BasicRequestContext.self, readiness: infrastructure.readiness)
        try await environment.run(router: router, defaultPort: defaultPort, services: infrastructure.services)
    }

    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
}
