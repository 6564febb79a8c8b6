import Contracts
import Foundation
import HTTPTypes
import Infrastructure
import Logging
import PostgresNIO
import ServiceKit

/// Reads and changes `social.categories`; every change commits with its event.
struct CategoryRepository: Sendable {
    let database: OutboxDatabase
    var logger: Logger { database.logger }

    /// Every category, by name in byte order (the original's ordering).
    func all() async throws -> [CategoryRecord] {
        try await database.rows("""
            SELECT \(unescaped: CategoryRecord.columns) FROM social.categories c ORDER BY c.name COLLATE "C"
            """).map(CategoryRecord.init(row:))
    }

    func find(id: UUID) async throws -> CategoryRecord? {
        try await database.rows(
            "SELECT \(unescaped: CategoryRecord.columns) FROM social.categories c WHERE c.id = \(id)"
        ).first.map(CategoryRecord.init(row:))
    }

    func find(slug: String) async throws -> CategoryRecord? {
        try await database.rows(
            "SELECT \(unescaped: CategoryRecord.columns) FROM social.categories c WHERE c.slug = \(slug)"
        ).first.map(CategoryRecord.init(row:))
    }

    /// Creates a category and announces it; 400 when its name or slug is taken.
    func create(name: String, description: String?, by userID: UUID) async throws -> CategoryRecord {
        let slug = try Self.slug(for: name)
        let id = UUID()
        return try await unique(name: name, slug: slug) {
            try await database.transaction { connection in
                try await checkFree(name: name, slug: slug, except: nil, on: connection)
                try await connection.query("""
                    INSERT INTO social.categories (id, name, slug, description, created_by)
                    VALUES (\(id), \(name), \(slug), \(description), \(userID))
                    """, logger: logger)
                let category = try await reread(id, on: connection)
                try await database.enqueue(CategoryCreated(category: category.snapshot), on: connection)
                return category
            }
        }
    }

    /// Renames (a new slug) and/or describes; nil fields stay. Nil when the category is gone.
    func update(id: UUID, name: String?, description: String?) async throws -> CategoryRecord? {
        let slug = try name.map(Self.slug(for:))
        return try await unique(name: name ?? "", slug: slug ?? "") {
            try await database.transaction { connection in
                guard try await lock(id, on: connection) else { return nil }
                if let name, let slug { try await checkFree(name: name, slug: slug, except: id, on: connection) }
                try await connection.query("""
                    UPDATE social.categories SET name = coalesce(\(name), name), slug = coalesce(\(slug), slug),
                        description = coalesce(\(description), description), updated_at = clock_timestamp()
                    WHERE id = \(id)
                    """, logger: logger)
                let category = try await reread(id, on: connection)
                try await database.enqueue(CategoryUpdated(category: category.snapshot), on: connection)
                return category
            }
        }
    }

    /// Deletes the category and announces it; its videos stay, without a category.
    func delete(id: UUID) async throws -> CategoryRecord? {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                DELETE FROM social.categories c WHERE c.id = \(id)
                RETURNING c.id, c.name, c.slug, c.description, c.image_filename, c.image_version, c.created_by,
                    c.created_at, c.updated_at, 0::bigint AS video_count
                """, logger: logger).collect()
            guard let category = try rows.first.map(CategoryRecord.init(row:)) else { return nil }
            try await connection.query("UPDATE social.videos SET category_id = NULL WHERE category_id = \(id)", logger: logger)
            try await database.enqueue(CategoryDeleted(categoryID: id), on: connection)
            return category
        }
    }

    /// Records a new image (or none) and runs `files` (the file's move or removal) while the row
    /// is locked, so two image changes never interleave; nil when the category is gone.
    func setImage(
        id: UUID, filename: String?, files: @escaping @Sendable () async throws -> Void
    ) async throws -> CategoryRecord? {
        try await database.transaction { connection in
            guard try await lock(id, on: connection) else { return nil }
            try await files()
            try await connection.query("""
                UPDATE social.categories SET image_filename = \(filename), image_version = image_version + 1,
                    updated_at = clock_timestamp()
                WHERE id = \(id)
                """, logger: logger)
            return try await reread(id, on: connection)
        }
    }

    // MARK: - Helpers

    /// The slug of a name; a name with no letter or digit has none, which is a 400.
    static func slug(for name: String) throws -> String {
        let slug = Slug.make(name)
        guard !slug.isEmpty else { throw APIError(.badRequest, "Category name must contain a letter or a digit") }
        return slug
    }

    private func checkFree(name: String, slug: String, except id: UUID?, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            SELECT name, slug FROM social.categories
            WHERE (name = \(name) OR slug = \(slug)) AND id IS DISTINCT FROM \(id)
            """, logger: logger).collect()
        for row in rows {
            let (takenName, takenSlug) = try row.decode((String, String).self)
            if takenName == name { throw APIError(.badRequest, "Category with name '\(name)' already exists") }
            if takenSlug == slug { throw APIError(.badRequest, "Category with slug '\(slug)' already exists") }
        }
    }

    /// Two creations racing past ``checkFree(name:slug:except:on:)`` meet the unique index: the same 400.
    private func unique<Result: Sendable>(name: String, slug: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            let constraint = error.serverInfo?[.constraintName] ?? ""
            if constraint.contains("slug") { throw APIError(.badRequest, "Category with slug '\(slug)' already exists") }
            throw APIError(.badRequest, "Category with name '\(name)' already exists")
        }
    }

    private func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM social.categories WHERE id = \(id) FOR UPDATE", logger: logger)
            .collect().isEmpty
    }

    private func reread(_ id: UUID, on connection: PostgresConnection) async throws -> CategoryRecord {
        let rows = try await connection.query(
            "SELECT \(unescaped: CategoryRecord.columns) FROM social.categories c WHERE c.id = \(id)", logger: logger
        ).collect()
        guard let row = rows.first else { throw APIError(.notFound, "Category not found") }
        return try CategoryRecord(row: row)
    }
}

extension CategoryRecord {
    /// What media keeps of the category.
    var snapshot: CategorySnapshot { CategorySnapshot(id: id, name: name, slug: slug) }
}
