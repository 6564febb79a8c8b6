import AsyncHTTPClient
import Configuration
import Database
import Foundation
import Hummingbird
import Identity
import Messaging
import ServiceKit
import ServiceLifecycle

/// A service that owns a PostgreSQL schema (auth, media, social, notify): it
/// migrates the same way, runs on the same ``Infrastructure`` and verifies
/// tokens the same way.
package protocol SchemaOwningService: ServiceDefinition {
    /// The service's `Migrations` resource folder (`Bundle.module` of its target).
    static var migrationsFolder: URL? { get }
    /// Shared migrations applied before the service's own (default: the user access read model).
    static var sharedMigrations: [Migration] { get }
    /// The service's OpenAPI document (its `openapi.json` resource), served at `/openapi.json`.
    static var openAPIDocument: URL? { get }
    /// Which requests may carry their token as `?token=` (default: none).
    static var queryTokenRequests: @Sendable (Request) -> Bool { get }
    /// The event types the service's queue `<name>.events` is bound to. `migrate` declares
    /// the queue with them, so the events of a platform's first start wait for a service
    /// that has not run yet; `serve` refuses to start when its handlers handle other types.
    static var consumedEvents: [String] { get }
}

extension SchemaOwningService {
    package static var sharedMigrations: [Migration] { UserAccessReadModel.migrations }
    package static var queryTokenRequests: @Sendable (Request) -> Bool { { _ in false } }

    /// `<service> migrate`: the schema's migrations, then the service's event queue with its
    /// bindings (``consumedEvents``), so that a platform migrated in full before any service
    /// starts loses no event published at start.
    package static func migrate(_ environment: ServiceEnvironment) async throws {
        try await migrateSchema(environment)
        try await Infrastructure.declareEventQueue(environment: environment, schema: name, routingKeys: consumedEvents)
    }

    /// Applies the messaging tables, the shared ones and the service's own migrations to its schema.
    static func migrateSchema(_ environment: ServiceEnvironment) async throws {
        try await Infrastructure.migrate(
            environment: environment, schema: name, shared: sharedMigrations, directory: migrationsFolder)
    }

    /// The event types of the identity read model that every service but auth keeps.
    package static var identityEvents: [String] {
        EventHandlers.routingKeys { UserAccessReadModel(schema: name).register(in: &$0) }
    }

    /// Migrates, builds the infrastructure and an authenticating router, lets
    /// the service add its routes, checks, parts and event handlers, and runs
    /// until SIGTERM.
    ///
    /// - Parameters:
    ///   - port: the default port, when it is not the service's own (media workers).
    ///   - keys: where tokens are verified from (auth's JWKS unless the service is auth);
    ///     nil for a process that serves no API (media workers): no authentication, no identity events.
    package static func run(
        _ environment: ServiceEnvironment,
        port: Int = defaultPort,
        keys: TokenKeys? = .remote,
        configure: (inout ServiceSetup) async throws -> Void = { _ in }
    ) async throws {
        try await migrateSchema(environment)
        let infrastructure = try Infrastructure(environment: environment, schema: name)
        let router = Router(context: ClipsetRequestContext.self)
        environment.addStandardMiddleware(to: router)
        var setup = ServiceSetup(router: router, infrastructure: infrastructure, environment: environment)
        var services = infrastructure.services
        if let keys {
            let authentication = authenticationParts(environment: environment, infrastructure: infrastructure, keys: keys)
            router.middlewares.add(authentication.middleware)
            setup.eventHandlers = authentication.handlers
            services += authentication.services
        }
        try await configure(&setup)
        services += setup.services
        if !setup.eventHandlers.routingKeys.isEmpty {
            guard setup.eventHandlers.routingKeys == Set(consumedEvents).sorted() else {
                throw EventSubscriptionMismatch(
                    service: name, handled: setup.eventHandlers.routingKeys, declared: Set(consumedEvents).sorted())
            }
            services.append(infrastructure.eventConsumer(handlers: setup.eventHandlers, reader: environment.reader))
        }
        environment.addOperationalRoutes(to: router, readiness: infrastructure.readiness + setup.readiness)
        OpenAPIController(document: openAPIDocument).addRoutes(to: router)
        try await environment.run(router: router, defaultPort: port, services: services)
    }

    private static func authenticationParts(
        environment: ServiceEnvironment, infrastructure: Infrastructure, keys: TokenKeys
    ) -> (middleware: AuthenticationMiddleware, services: [any Service], handlers: EventHandlers) {
        let settings = TokenSettings(reader: environment.reader)
        let interval = Duration.milliseconds(environment.reader.int(forKey: "identity.refresh.ms", default: 1000))
        var handlers = EventHandlers()
        switch keys {
        case .local(let ring, let loader):
            let deactivated = DeactivatedUsers(interval: interval, logger: environment.logger, load: loader(infrastructure))
            let verifier = TokenVerifier(settings: settings, source: ring)
            return (
                AuthenticationMiddleware(verifier: verifier, deactivated: deactivated, acceptsQueryToken: queryTokenRequests),
                [deactivated], handlers
            )
        case .remote:
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let model = UserAccessReadModel(schema: infrastructure.schema)
            model.register(in: &handlers)
            let deactivated = DeactivatedUsers(interval: interval, logger: environment.logger) { [postgres = infrastructure.postgres, logger = environment.logger] in
                try await model.deactivated(client: postgres, logger: logger)
            }
            let source = RemoteJWKS(reader: environment.reader, client: client, logger: environment.logger)
            let verifier = TokenVerifier(settings: settings, source: source)
            return (
                AuthenticationMiddleware(verifier: verifier, deactivated: deactivated, acceptsQueryToken: queryTokenRequests),
                [HTTPClientLifetime(client: client), deactivated], handlers
            )
        }
    }
}

/// Shuts the JWKS HTTP client down when the service stops.
struct HTTPClientLifetime: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
