import Logging
import NIOPosix
import ServiceLifecycle

/// Creates the initial admin once PostgreSQL is reachable (retrying while it
/// is not), then idles until shutdown.
struct InitialAdminSetup: Service {
    let admin: InitialAdmin

    func run() async throws {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await admin.ensure()
                break
            } catch let error as AuthConfigurationError {
                throw error
            } catch {
                admin.components.logger.warning("could not create the initial admin yet", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        try? await gracefulShutdown()
    }
}

/// Stops the thread pool of bcrypt and file I/O after the HTTP server.
struct ThreadPoolLifetime: Service {
    let pool: NIOThreadPool

    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}
