import Configuration
import Foundation
import Logging
import PostgresNIO

/// How a service reaches its PostgreSQL schema.
///
/// Configuration keys:
/// - `database.url` (`DATABASE_URL`, secret): `postgres://role:password@host:port/database`;
///   each service connects with its own role, whose `search_path` is its schema.
/// - `database.pool.size` (`DATABASE_POOL_SIZE`, default 10): connections at most.
package struct DatabaseSettings: Sendable {
    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    package var poolSize: Int

    package init(host: String, port: Int = 5432, username: String, password: String?, database: String, poolSize: Int = 10) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = poolSize
    }

    /// Reads the settings; throws when `database.url` is missing or malformed.
    package init(reader: ConfigReader) throws {
        guard let url = reader.string(forKey: "database.url", isSecret: true) else {
            throw DatabaseConfigurationError(message: "DATABASE_URL is not set")
        }
        try self.init(url: url, poolSize: reader.int(forKey: "database.pool.size", default: 10))
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    package init(url: String, poolSize: Int = 10) throws {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty else {
            throw DatabaseConfigurationError(message: "DATABASE_URL must look like postgres://role:password@host:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        self.init(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? user : database,
            poolSize: poolSize
        )
    }

    /// The postgres-nio client configuration (plain TCP: the database is on a private network).
    package var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectionIdleTimeout = .seconds(60)
        return configuration
    }

    /// A pooled client; run it as a `Service` in the application's group.
    package func makeClient(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
    }
}

/// A database setting that is missing or cannot be understood.
package struct DatabaseConfigurationError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }

    package init(message: String) {
        self.message = message
    }
}
