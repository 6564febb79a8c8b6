import Foundation

/// Where the test command's throw-away servers listen.
///
/// `scripts/test` starts PostgreSQL, Redis, RabbitMQ and an SMTP receiver on loopback and exports
/// their addresses; integration tests read them here and fail loudly when a
/// variable is missing, so a test never passes without the real server.
package enum TestEnvironment {
    /// A superuser URL of the test PostgreSQL cluster (`CLIPSET_TEST_POSTGRES_URL`).
    package static var postgresURL: String { value("CLIPSET_TEST_POSTGRES_URL") }
    /// The test Redis server (`CLIPSET_TEST_REDIS_URL`, e.g. `redis://127.0.0.1:63800`).
    package static var redisURL: String { value("CLIPSET_TEST_REDIS_URL") }
    /// The test RabbitMQ broker (`CLIPSET_TEST_AMQP_URL`, e.g. `amqp://clipset:<password>@127.0.0.1:56730/%2F`).
    package static var amqpURL: String { value("CLIPSET_TEST_AMQP_URL") }
    /// The test SMTP receiver without TLS or AUTH (`CLIPSET_TEST_SMTP_URL`, e.g. `smtp://127.0.0.1:2535`).
    package static var smtpURL: String { value("CLIPSET_TEST_SMTP_URL") }
    /// The test SMTP receiver that requires STARTTLS and AUTH, credentials included
    /// (`CLIPSET_TEST_SMTP_AUTH_URL`, e.g. `smtp://clipset:<password>@127.0.0.1:2536?starttls=required`).
    package static var smtpAuthURL: String { value("CLIPSET_TEST_SMTP_AUTH_URL") }
    /// The PEM certificate the authenticating SMTP listener presents (`CLIPSET_TEST_SMTP_CA_FILE`, self-signed).
    package static var smtpCAFile: String { value("CLIPSET_TEST_SMTP_CA_FILE") }
    /// The folder where the SMTP receiver saves every message, one file each (`CLIPSET_TEST_MAIL_DIR`).
    package static var mailDirectory: String { value("CLIPSET_TEST_MAIL_DIR") }

    private static func value(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            preconditionFailure("\(name) is not set: run the tests through scripts/test, which starts the servers")
        }
        return value
    }
}
