import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Database
import TestSupport

/// Each service's role can touch its own schema and nothing else (ARCHITECTURE §2 rule 1).
@Suite struct SchemaIsolationTests {
    let logger = Logger(label: "isolation-tests")

    @Test func aServiceRoleCannotReadAnotherServicesSchema() async throws {
        try await TestDatabase.withServiceRoles(["alpha", "beta"]) { roles in
            let alpha = try #require(roles["alpha"])
            let beta = try #require(roles["beta"])
            try await TestDatabase.withClient(url: alpha) { client in
                try await client.query("CREATE TABLE secrets (value text)", logger: logger)
                try await client.query("INSERT INTO secrets VALUES ('alpha only')", logger: logger)
                let rows = try await client.query("SELECT value FROM secrets", logger: logger)
                for try await value in rows.decode(String.self) { #expect(value == "alpha only") }
            }
            try await TestDatabase.withClient(url: beta) { client in
                let schema = try #require(URLComponents(string: alpha)?.user).replacingOccurrences(of: "clipset_test_", with: "")
                await expectNoTrespass(client, into: schema, table: "secrets", logger: logger)
            }
        }
    }
}

/// The roles `scripts/test` provisions exactly as `scripts/clipset up` does.
@Suite struct ProvisionedRoleTests {
    let logger = Logger(label: "provisioned-role-tests")

    static func roleURL(_ service: String) throws -> String {
        let name = "CLIPSET_TEST_DATABASE_URL_\(service.uppercased())"
        return try #require(ProcessInfo.processInfo.environment[name], "\(name) is set by scripts/test")
    }

    @Test(arguments: [("auth", "media"), ("media", "social"), ("social", "notify"), ("notify", "auth")])
    func eachServiceRoleSeesOnlyItsOwnSchema(own: String, other: String) async throws {
        let table = "isolation_\(UUID().uuidString.prefix(8).lowercased())"
        try await TestDatabase.withClient(url: try Self.roleURL(other)) { client in
            try await client.query("CREATE TABLE \(unescaped: table) (id int)", logger: logger)
        }
        try await TestDatabase.withClient(url: try Self.roleURL(own)) { client in
            // Its search_path is its schema, where it may create and read.
            let rows = try await client.query("SELECT current_schema()", logger: logger)
            for try await schema in rows.decode(String.self) { #expect(schema == own) }
            await expectNoTrespass(client, into: other, table: table, logger: logger)
        }
        try await TestDatabase.withClient(url: try Self.roleURL(other)) { client in
            try await client.query("DROP TABLE \(unescaped: table)", logger: logger)
        }
    }
}

/// A role may neither read `schema.table` of another service, nor create tables in
/// that schema or in `public`: each attempt is refused with `permission denied` (42501).
func expectNoTrespass(_ client: PostgresClient, into schema: String, table: String, logger: Logger) async {
    let attempts: [PostgresQuery] = [
        "SELECT * FROM \(unescaped: schema).\(unescaped: table)",
        "CREATE TABLE \(unescaped: schema).intruder (id int)",
        "CREATE TABLE public.intruder (id int)",
    ]
    for attempt in attempts {
        let error = await #expect(throws: PSQLError.self) { try await client.query(attempt, logger: logger) }
        #expect(error?.serverInfo?[.sqlState] == "42501", "\(attempt.sql)")
    }
}
