import Database
import Foundation
import Hummingbird
import Identity
import Images
import Infrastructure
import Messaging
import NIOCore
import NIOPosix
import ServiceKit

/// How the auth service is put together: its schema, its keys, its clients and its routes.
enum AuthService: SchemaOwningService {
    static let name = "auth"
    static let defaultPort = 8081
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }
    /// auth is the source of user access, so it keeps no read model of it.
    static var sharedMigrations: [Migration] { [] }
    /// Media's and social's events that auth's counts follow.
    static var consumedEvents: [String] { EventHandlers.routingKeys(registeredBy: CountsReadModel.register(in:)) }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let reader = environment.reader
        let settings = try AuthSettings(reader: reader)
        let keys = try await SigningKeyRing(reader: reader)
        let rules = try Throttle.Rules(reader: reader)
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        let deactivated: @Sendable (Infrastructure) -> DeactivatedUsers.Loader = { infrastructure in
            let users = UserRepository(client: infrastructure.postgres, logger: environment.logger)
            return { try await users.deactivatedIDs() }
        }
        try await run(environment, keys: .local(keys, deactivated: deactivated)) { setup in
            let components = try await makeComponents(setup: setup, settings: settings, keys: keys, rules: rules, pool: pool)
            addRoutes(to: setup.router, components: components, keys: keys, pool: pool)
            CountsReadModel.register(in: &setup.eventHandlers)
            setup.services += [ThreadPoolLifetime(pool: pool), InitialAdminSetup(admin: InitialAdmin(components: components))]
        }
    }

    private static func addRoutes(to router: Router<ClipsetRequestContext>, components: AuthComponents, keys: SigningKeyRing, pool: NIOThreadPool) {
        let resets = PasswordResetController(components: components)
        AuthController(components: components).addRoutes(to: router)
        RegistrationController(components: components).addRoutes(to: router)
        resets.addRoutes(to: router)
        AvatarController(components: components, fileIO: FileIO(threadPool: pool)).addRoutes(to: router)
        UsersController(components: components, resets: resets).addRoutes(to: router)
        InvitationsController(components: components).addRoutes(to: router)
        KeysController(keys: keys).addRoutes(to: router)
    }

    private static func makeComponents(
        setup: ServiceSetup, settings: AuthSettings, keys: SigningKeyRing, rules: Throttle.Rules, pool: NIOThreadPool
    ) async throws -> AuthComponents {
        let infrastructure = setup.infrastructure
        let logger = setup.environment.logger
        let postgres = infrastructure.postgres
        let refreshTokens = RefreshTokenRepository(client: postgres, lifetime: settings.refreshTokenLifetime, logger: logger)
        return AuthComponents(
            settings: settings,
            postgres: postgres,
            users: UserRepository(client: postgres, logger: logger),
            invitations: InvitationRepository(client: postgres, logger: logger),
            resets: PasswordResetRepository(client: postgres, logger: logger),
            refreshTokens: refreshTokens,
            hasher: try await PasswordHasher(cost: settings.bcryptCost, pool: pool),
            issuer: TokenIssuer(
                keys: keys, settings: TokenSettings(reader: setup.environment.reader),
                lifetime: settings.accessTokenLifetime, refreshTokens: refreshTokens),
            throttle: Throttle(redis: infrastructure.redis, rules: rules, logger: logger),
            addresses: ClientAddressResolver(reader: setup.environment.reader),
            outbox: infrastructure.outbox,
            relay: infrastructure.relay,
            avatars: AvatarStore(
                directory: settings.avatarsDirectory,
                renderer: SquareWebPRenderer(side: 256, quality: 85, logger: logger),
                pool: pool, logger: logger),
            logger: logger
        )
    }
}
