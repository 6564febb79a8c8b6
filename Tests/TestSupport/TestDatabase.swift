import Database
import Foundation
import Logging
import PostgresNIO

/// Throw-away schemas and roles on the test PostgreSQL, each test on its own.
package enum TestDatabase {
    static let logger = Logger(label: "test-database")

    /// A fresh schema name, e.g. `t_3fa94c1b`.
    package static func uniqueName(_ prefix: String = "t") -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs `body` with a running client for `url`, shutting it down after.
    @discardableResult
    package static func withClient<Result: Sendable>(
        url: String, poolSize: Int = 4, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = try DatabaseSettings(url: url, poolSize: poolSize).makeClient(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Runs `body` with a superuser client and a new empty schema, dropped afterwards.
    @discardableResult
    package static func withSchema<Result: Sendable>(
        _ body: (PostgresClient, String) async throws -> Result
    ) async throws -> Result {
        let schema = uniqueName()
        return try await withClient(url: TestEnvironment.postgresURL, poolSize: 8) { client in
            try await client.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
            do {
                let result = try await body(client, schema)
                try await client.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                return result
            } catch {
                _ = try? await client.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                throw error
            }
        }
    }

    /// Creates, for each name, a login role owning a schema of its own, as the
    /// platform provisions its services; passes the roles' URLs (by name) to
    /// `body`, then drops them. The role is `clipset_test_<schema>`.
    @discardableResult
    package static func withServiceRoles<Result: Sendable>(
        _ names: [String], _ body: ([String: String]) async throws -> Result
    ) async throws -> Result {
        let admin = try DatabaseSettings(url: TestEnvironment.postgresURL)
        let schemas = Dictionary(uniqueKeysWithValues: names.map { ($0, uniqueName($0)) })
        return try await withClient(url: TestEnvironment.postgresURL) { client in
            var urls: [String: String] = [:]
            for (name, schema) in schemas {
                let role = "clipset_test_\(schema)"
                let password = UUID().uuidString
                try await client.query("CREATE ROLE \(unescaped: role) LOGIN PASSWORD '\(unescaped: password)'", logger: logger)
                try await client.query("GRANT CONNECT ON DATABASE \(unescaped: admin.database) TO \(unescaped: role)", logger: logger)
                try await client.query("CREATE SCHEMA \(unescaped: schema) AUTHORIZATION \(unescaped: role)", logger: logger)
                try await client.query("ALTER ROLE \(unescaped: role) SET search_path = \(unescaped: schema)", logger: logger)
                urls[name] = "postgres://\(role):\(password)@\(admin.host):\(admin.port)/\(admin.database)"
            }
            let result: Result
            do {
                result = try await body(urls)
            } catch {
                await drop(schemas.values, on: client)
                throw error
            }
            await drop(schemas.values, on: client)
            return result
        }
    }

    private static func drop(_ schemas: some Sequence<String>, on client: PostgresClient) async {
        for schema in schemas {
            _ = try? await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
            _ = try? await client.query("DROP OWNED BY clipset_test_\(unescaped: schema)", logger: logger)
            _ = try? await client.query("DROP ROLE IF EXISTS clipset_test_\(unescaped: schema)", logger: logger)
        }
    }
}
