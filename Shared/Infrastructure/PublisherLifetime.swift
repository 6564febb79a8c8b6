import AMQP
import ServiceLifecycle

/// Closes the shared publisher's connection once the service shuts down, after
/// everything that publishes through it (it sits before them in the group).
struct PublisherLifetime: Service {
    let publisher: AMQPPublisher

    func run() async throws {
        try? await gracefulShutdown()
        await publisher.close()
    }
}
