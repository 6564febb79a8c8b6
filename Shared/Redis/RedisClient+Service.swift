import ServiceLifecycle

/// Running the client in a `ServiceGroup` closes its connections at graceful shutdown,
/// after the services listed later in the group (which may still use it) have stopped.
extension RedisClient: Service {
    /// Waits for graceful shutdown (or cancellation), then calls ``shutdown()``.
    package func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
