import Contracts
import Database
import Foundation
import HTTPTypes
import Infrastructure
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Weekly upload counters (`media.quotas`, API §4.4). A counter last reset before the
/// current week started reads as zero, so a missed weekly run never blocks an upload;
/// every change is announced (`media.quota.changed`) for auth's profile.
struct QuotaRepository: Sendable {
    let database: MediaDatabase
    let schedule: QuotaSchedule
    var logger: Logger { database.logger }

    /// The counter of `userID` now.
    func usage(of userID: UUID, now: Date = .now) async throws -> QuotaUsage {
        let rows = try await database.postgres.rows(
            "SELECT weekly_upload_bytes, last_upload_reset FROM media.quotas WHERE user_id = \(userID)", logger: logger)
        let periodStart = schedule.periodStart(containing: now)
        guard let row = rows.first else { return QuotaUsage(usedBytes: 0, lastReset: periodStart) }
        let (used, lastReset) = try row.decode((Int64, Date).self)
        return lastReset < periodStart ? QuotaUsage(usedBytes: 0, lastReset: periodStart) : QuotaUsage(usedBytes: used, lastReset: lastReset)
    }

    /// Adds `bytes` to the counter inside the caller's transaction, under a row lock so two
    /// uploads cannot both squeeze under the limit; throws the original's 403 when it would
    /// pass `limit`.
    func charge(_ userID: UUID, bytes: Int64, limit: Int64, on connection: PostgresConnection, now: Date = .now) async throws {
        let periodStart = schedule.periodStart(containing: now)
        try await connection.query("""
            INSERT INTO media.quotas (user_id, weekly_upload_bytes, last_upload_reset) VALUES (\(userID), 0, \(periodStart))
            ON CONFLICT (user_id) DO NOTHING
            """, logger: logger)
        var used: Int64 = 0
        var lastReset = periodStart
        let rows = try await connection.query(
            "SELECT weekly_upload_bytes, last_upload_reset FROM media.quotas WHERE user_id = \(userID) FOR UPDATE", logger: logger)
        for try await (bytes, reset) in rows.decode((Int64, Date).self) { (used, lastReset) = (bytes, reset) }
        if lastReset < periodStart { (used, lastReset) = (0, periodStart) }
        guard used + bytes <= limit else {
            throw APIError(.forbidden, SizeMessages.overQuota(used: used, limit: limit, size: bytes))
        }
        try await connection.query("""
            UPDATE media.quotas SET weekly_upload_bytes = \(used + bytes), last_upload_reset = \(lastReset)
            WHERE user_id = \(userID)
            """, logger: logger)
        try await database.outbox.enqueue(
            QuotaChanged(userID: userID, weeklyUploadBytes: used + bytes, lastUploadReset: lastReset), on: connection, logger: logger)
    }

    /// Sets every known user's counter to zero as of `now` (the admin route); returns how many.
    func resetAll(now: Date = .now) async throws -> Int {
        try await database.transaction { connection in
            try await reset(where: "TRUE", at: now, on: connection)
        }
    }

    /// The automatic weekly reset: once per week across replicas (the `quota_resets` row
    /// is the claim); counters already reset this week are left alone. Returns how many it reset.
    func resetWeekIfDue(now: Date = .now) async throws -> Int? {
        let periodStart = schedule.periodStart(containing: now)
        return try await database.transaction { connection in
            let claimed = try await connection.query("""
                INSERT INTO media.quota_resets (period_start) VALUES (\(periodStart)) ON CONFLICT DO NOTHING RETURNING period_start
                """, logger: logger).collect()
            guard !claimed.isEmpty else { return nil }
            return try await reset(where: "last_upload_reset < $1", bind: periodStart, at: periodStart, on: connection)
        }
    }

    /// Resets the counters matching `condition` (every known user gets a row) and announces each.
    private func reset(
        where condition: String, bind: Date? = nil, at time: Date, on connection: PostgresConnection
    ) async throws -> Int {
        try await connection.query("""
            INSERT INTO media.quotas (user_id, weekly_upload_bytes, last_upload_reset)
            SELECT user_id, 0, \(time) FROM media.users ON CONFLICT (user_id) DO NOTHING
            """, logger: logger)
        var binds = PostgresBindings()
        if let bind { binds.append(bind) }
        binds.append(time)
        let timeBind = "$\(binds.count)"
        let query = PostgresQuery(unsafeSQL: """
            UPDATE media.quotas SET weekly_upload_bytes = 0, last_upload_reset = \(timeBind)
            WHERE \(condition) RETURNING user_id
            """, binds: binds)
        let rows = try await connection.query(query, logger: logger).collect()
        for row in rows {
            let userID = try row.decode(UUID.self)
            try await database.outbox.enqueue(QuotaChanged(userID: userID, weeklyUploadBytes: 0, lastUploadReset: time), on: connection, logger: logger)
        }
        return rows.count
    }
}
