import Foundation
import Hummingbird
import ServiceKit

/// A service that owns a PostgreSQL schema (auth, media, social, notify): it
/// migrates the same way and runs on the same ``Infrastructure``.
package protocol SchemaOwningService: ServiceDefinition {
    /// The service's `Migrations` resource folder (`Bundle.module` of its target).
    static var migrationsFolder: URL? { get }
}

extension SchemaOwningService {
    /// Applies the messaging tables and the service's own migrations to its schema.
    package static func migrate(_ environment: ServiceEnvironment) async throws {
        try await Infrastructure.migrate(environment: environment, schema: name, directory: migrationsFolder)
    }

    /// Migrates, builds the infrastructure and the router, lets the service add
    /// its routes, readiness checks and long-lived parts, and runs until SIGTERM.
    ///
    /// - Parameters:
    ///   - port: the default port, when it is not the service's own (media workers).
    ///   - configure: adds routes to the router and returns extra readiness checks
    ///     and services (started after the infrastructure's, stopped before them).
    package static func run(
        _ environment: ServiceEnvironment,
        port: Int = defaultPort,
        configure: (Router<BasicRequestContext>, Infrastructure) async throws -> ServiceParts = { _, _ in ServiceParts() }
    ) async throws {
        try await migrate(environment)
        let infrastructure = try Infrastructure(environment: environment, schema: name)
        let router = Router(context: BasicRequestContext.self)
        environment.addStandardMiddleware(to: router)
        let parts = try await configure(router, infrastructure)
        environment.addOperationalRoutes(to: router, readiness: infrastructure.readiness + parts.readiness)
        try await environment.run(router: router, defaultPort: port, services: infrastructure.services + parts.services)
    }
}
