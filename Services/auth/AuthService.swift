import Foundation
import Infrastructure
import ServiceKit

/// How the auth service is put together: its schema, its clients and its routes.
enum AuthService: SchemaOwningService {
    static let name = "auth"
    static let defaultPort = 8081
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    static func serve(_ environment: ServiceEnvironment) async throws {
        try await run(environment)
    }
}
