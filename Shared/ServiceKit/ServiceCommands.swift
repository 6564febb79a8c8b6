import ArgumentParser

/// A Clipset service as its command line sees it: a name, a default port,
/// and what `serve` and `migrate` do.
package protocol ServiceDefinition {
    /// `auth`, `gateway`, `media`, `social` or `notify`.
    static var name: String { get }
    /// The port `serve` listens on when `HTTP_PORT` is not set.
    static var defaultPort: Int { get }
    /// Runs the HTTP service (migrating first) until SIGTERM or SIGINT.
    static func serve(_ environment: ServiceEnvironment) async throws
    /// Applies pending migrations and returns.
    static func migrate(_ environment: ServiceEnvironment) async throws
}

/// `<service> serve`: migrate, then answer HTTP until told to stop.
package struct ServeCommand<Definition: ServiceDefinition>: AsyncParsableCommand {
    package static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "serve", abstract: "Run the \(Definition.name) service until SIGTERM.")
    }

    package init() {}

    package func run() async throws {
        try await Definition.serve(.bootstrap(service: Definition.name))
    }
}

/// `<service> migrate`: apply the service's pending migrations and exit.
package struct MigrateCommand<Definition: ServiceDefinition>: AsyncParsableCommand {
    package static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "migrate", abstract: "Apply the \(Definition.name) schema's pending migrations.")
    }

    package init() {}

    package func run() async throws {
        try await Definition.migrate(.bootstrap(service: Definition.name))
    }
}
