import Foundation

/// Where the test command's throw-away servers listen.
///
/// `scripts/test` starts PostgreSQL, Redis and RabbitMQ on loopback and exports
/// their addresses; integration tests read them here and fail loudly when a
/// variable is missing, so a test never passes without the real server.
package enum TestEnvironment {
    /// A superuser URL of the test PostgreSQL cluster (`CLIPSET_TEST_POSTGRES_URL`).
    package static var postgresURL: String { value("CLIPSET_TEST_POSTGRES_URL") }
    /// The test Redis server (`CLIPSET_TEST_REDIS_URL`, e.g. `redis://127.0.0.1:63800`).
    package static var redisURL: String { value("CLIPSET_TEST_REDIS_URL") }
    /// The test RabbitMQ broker (`CLIPSET_TEST_AMQP_URL`, e.g. `amqp://clipset:<password>@127.0.0.1:56730/%2F`).
    package static var amqpURL: String { value("CLIPSET_TEST_AMQP_URL") }

    private static func value(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            preconditionFailure("\(name) is not set: run the tests through scripts/test, which starts the servers")
        }
        return value
    }
}
