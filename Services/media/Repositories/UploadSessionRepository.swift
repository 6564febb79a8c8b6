import Database
import Foundation
import Logging
import PostgresNIO

/// A chunked upload session (API Part A): its owner, what it declared, when it expires.
struct UploadSession: Sendable {
    var id: UUID
    var ownerID: UUID
    var totalSize: Int64?
    var totalChunks: Int?
    var createdAt: Date
    var expiresAt: Date
}

/// `media.upload_sessions`. A session belongs to the user who opened it: another user's
/// session reads as missing. Each chunk extends its life, so only abandoned ones expire.
struct UploadSessionRepository: Sendable {
    let postgres: PostgresClient
    let lifetime: TimeInterval
    let logger: Logger

    func create(owner: UUID, totalSize: Int64?, totalChunks: Int?, now: Date = .now) async throws -> UploadSession {
        let session = UploadSession(
            id: UUID(), ownerID: owner, totalSize: totalSize, totalChunks: totalChunks, createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime))
        _ = try await postgres.rows("""
            INSERT INTO media.upload_sessions (id, owner_id, total_size, total_chunks, created_at, expires_at)
            VALUES (\(session.id), \(owner), \(totalSize), \(totalChunks.map(Int32.init)), \(now), \(session.expiresAt))
            """, logger: logger)
        return session
    }

    /// The live session `id` of `owner`, its expiry pushed back when `touch` is set; nil when
    /// it does not exist, has expired or is someone else's.
    func find(_ id: UUID, owner: UUID, touch: Bool = false, now: Date = .now) async throws -> UploadSession? {
        let rows = try await postgres.rows("""
            UPDATE media.upload_sessions
            SET expires_at = CASE WHEN \(touch) THEN \(now.addingTimeInterval(lifetime)) ELSE expires_at END
            WHERE id = \(id) AND owner_id = \(owner) AND expires_at > \(now)
            RETURNING id, owner_id, total_size, total_chunks, created_at, expires_at
            """, logger: logger)
        return try rows.first.map { row in
            let (id, owner, size, chunks, created, expires) = try row.decode((UUID, UUID, Int64?, Int32?, Date, Date).self)
            return UploadSession(id: id, ownerID: owner, totalSize: size, totalChunks: chunks.map(Int.init), createdAt: created, expiresAt: expires)
        }
    }

    func delete(_ id: UUID) async throws {
        _ = try await postgres.rows("DELETE FROM media.upload_sessions WHERE id = \(id)", logger: logger)
    }

    /// Removes the sessions that expired before `now`; returns their ids (their chunks must go too).
    func deleteExpired(now: Date = .now) async throws -> [UUID] {
        try await postgres.rows(
            "DELETE FROM media.upload_sessions WHERE expires_at <= \(now) RETURNING id", logger: logger
        ).map { try $0.decode(UUID.self) }
    }

    /// Which of `ids` still have a session row.
    func existing(_ ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await postgres.rows(
            "SELECT id FROM media.upload_sessions WHERE id = ANY(\(ids))", logger: logger
        ).map { try $0.decode(UUID.self) })
    }
}

extension UploadSessionRepository {
    /// Runs `body` holding a PostgreSQL advisory lock named by the session, so two completes of
    /// one session (a client retrying after a timeout) run one after the other, on any replica.
    func withCompletionLock<Result: Sendable>(
        _ id: UUID, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await postgres.withLeasedConnection { connection in
            let key = "upload-session:\(id.uuidString.lowercased())"
            try await connection.query("SELECT pg_advisory_lock(hashtextextended(\(key), 0))", logger: logger)
            do {
                let result = try await body()
                try await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))", logger: logger)
                throw error
            }
        }
    }
}
