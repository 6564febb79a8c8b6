import Foundation
import Infrastructure
import ServiceKit

/// How the notify service is put together: its schema, its clients and its routes.
enum NotifyService: SchemaOwningService {
    static let name = "notify"
    static let defaultPort = 8084
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }

    static func serve(_ environment: ServiceEnvironment) async throws {
        try await run(environment) { setup in
            PreferencesController(postgres: setup.infrastructure.postgres, logger: setup.environment.logger)
                .addRoutes(to: setup.router)
        }
    }
}
