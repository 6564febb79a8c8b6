import Foundation
import Hummingbird
import Infrastructure
import Logging
import Mail
import ServiceKit

/// How the notify service is put together: its schema, the emails and in-app
/// notifications it makes from events, their delivery, and its routes.
enum NotifyService: SchemaOwningService {
    static let name = "notify"
    static let defaultPort = 8084
    static var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
    static var openAPIDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "json") }
    /// The events that become emails, notifications and live status, and feed notify's users.
    static var consumedEvents: [String] { identityEvents + NotifyEventHandlers.eventTypes }

    /// `GET /api/events` also takes `?token=` (a browser's EventSource cannot send headers).
    static var queryTokenRequests: @Sendable (Request) -> Bool {
        { request in request.uri.path == "/api/events" || request.uri.path == "/api/events/" }
    }

    static func serve(_ environment: ServiceEnvironment) async throws {
        let settings = try NotifySettings(reader: environment.reader)
        let live = LiveSettings(reader: environment.reader)
        let composer = try await EmailComposer.bundled()
        try await run(environment) { setup in
            let postgres = setup.infrastructure.postgres
            let logger = setup.environment.logger
            PreferencesController(postgres: postgres, logger: logger).addRoutes(to: setup.router)
            NotificationsController(postgres: postgres, logger: logger).addRoutes(to: setup.router)
            let hub = LiveHub()
            LiveEventsController(postgres: postgres, hub: hub, settings: live, logger: logger).addRoutes(to: setup.router)
            setup.services.append(LiveStatusListener(postgres: postgres, hub: hub, logger: logger))
            setup.services.append(LiveProgressRelay(hub: hub, amqp: setup.infrastructure.amqp, logger: logger))
            NotifyEventHandlers(composer: composer, settings: settings, live: LiveFeed(retention: live.retention))
                .register(in: &setup.eventHandlers)
            let transport: any MailTransport = settings.smtp.map { SMTPSender(settings: $0, logger: logger) }
                ?? MailFileWriter(directory: settings.mailDirectory)
            logger.info("emails go to \(settings.smtp.map { "\($0)" } ?? settings.mailDirectory.path)")
            setup.services.append(EmailDelivery(
                postgres: postgres, transport: transport, from: settings.from, pollInterval: settings.pollInterval,
                retryMax: settings.retryMax, maxAttempts: settings.maxAttempts, logger: logger))
        }
    }
}
