import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Database
import TestSupport

/// Migrations against the real PostgreSQL the test command starts.
@Suite struct MigratorTests {
    let logger = Logger(label: "migrator-tests")

    @Test func appliesPendingOnceAndRecordsThem() async throws {
        try await TestDatabase.withSchema { client, schema in
            let migrator = try Migrator(client: client, schema: schema, logger: logger)
            let migrations = [
                Migration(component: "demo", version: 1, name: "items", sql: "CREATE TABLE items (id int PRIMARY KEY, name text);"),
                Migration(component: "demo", version: 2, name: "seed", sql: "INSERT INTO items VALUES (1, 'a;b'); INSERT INTO items VALUES (2, 'c');"),
            ]
            #expect(try await migrator.migrate(migrations).count == 2)
            #expect(try await migrator.migrate(migrations).isEmpty)
            let rows = try await client.query("SELECT count(*) FROM \(unescaped: schema).items", logger: logger)
            for try await count in rows.decode(Int.self) { #expect(count == 2) }
        }
    }

    @Test func twoReplicasMigratingAtOnceApplyEachMigrationOnce() async throws {
        try await TestDatabase.withSchema { client, schema in
            // A migration that fails if it runs twice: the second CREATE TABLE would throw.
            let migrations = [
                Migration(component: "demo", version: 1, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE once (id int);"),
            ]
            let migrator = try Migrator(client: client, schema: schema, logger: logger)
            async let first = migrator.migrate(migrations)
            async let second = migrator.migrate(migrations)
            let applied = try await [first.count, second.count].sorted()
            #expect(applied == [0, 1])
        }
    }

    @Test func aFailingMigrationRollsBackAndAnEditedOneIsRefused() async throws {
        try await TestDatabase.withSchema { client, schema in
            let migrator = try Migrator(client: client, schema: schema, logger: logger)
            let broken = Migration(component: "demo", version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT * FROM missing;")
            await #expect(throws: MigrationError.self) { try await migrator.migrate([broken]) }
            let exists = try await client.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = \(schema) AND table_name = 'half'", logger: logger)
            for try await count in exists.decode(Int.self) { #expect(count == 0) }

            let good = Migration(component: "demo", version: 1, name: "good", sql: "CREATE TABLE good (id int);")
            try await migrator.migrate([good])
            var edited = good
            edited.sql = "CREATE TABLE good (id bigint);"
            await #expect(throws: MigrationError.self) { try await migrator.migrate([edited]) }
        }
    }

    @Test func migrationFilesLoadInVersionOrderAndBadNamesAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE b ();".write(to: folder.appending(path: "0002_second.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE a ();".write(to: folder.appending(path: "0001_first.sql"), atomically: true, encoding: .utf8)
        try "not sql".write(to: folder.appending(path: "README.md"), atomically: true, encoding: .utf8)
        let loaded = try Migration.load(component: "demo", directory: folder)
        #expect(loaded.map(\.name) == ["first", "second"])
        #expect(loaded.map(\.version) == [1, 2])
        try "x".write(to: folder.appending(path: "oops.sql"), atomically: true, encoding: .utf8)
        #expect(throws: DatabaseConfigurationError.self) { try Migration.load(component: "demo", directory: folder) }
    }
}
