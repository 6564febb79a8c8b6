import Foundation
import Logging
import NIOPosix

/// Removes abandoned uploads: expired chunked sessions and their chunks, chunk folders
/// whose session is gone, expired tus uploads (through `sweepTus`), and received files in
/// `temp/uploads/` that a crashed request left behind.
struct UploadSweeper: Sendable {
    let sessions: UploadSessionRepository
    let chunks: ChunkStore
    let root: MediaRoot
    let sweepTus: @Sendable () async throws -> Int
    let threadPool: NIOThreadPool
    let logger: Logger

    /// Files in `temp/uploads/` older than this are left-overs (no request lasts that long idle).
    let strayAge: TimeInterval = 24 * 3600

    func sweep(now: Date = .now) async throws {
        let expired = try await sessions.deleteExpired(now: now)
        for session in expired { await chunks.remove(session) }
        let onDisk = try await chunks.sessionsOnDisk()
        let live = try await sessions.existing(onDisk)
        var orphans = 0
        for session in onDisk where !live.contains(session) {
            // A folder may be created just before its session row is visible to this query; only old ones go.
            if try await isOlder(root.path("chunks/\(session.uuidString.lowercased())"), than: now.addingTimeInterval(-strayAge)) {
                await chunks.remove(session)
                orphans += 1
            }
        }
        let tus = try await sweepTus()
        let strays = try await removeStrays(in: root.path("temp/uploads"), before: now.addingTimeInterval(-strayAge))
        if !expired.isEmpty || orphans + tus + strays > 0 {
            logger.info("abandoned uploads removed", metadata: [
                "uploads.sessions": "\(expired.count)", "uploads.orphans": "\(orphans)", "uploads.tus": "\(tus)",
                "uploads.strays": "\(strays)",
            ])
        }
    }

    private func isOlder(_ path: String, than limit: Date) async throws -> Bool {
        try await threadPool.runIfActive {
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            return (modified ?? .distantPast) < limit
        }
    }

    private func removeStrays(in folder: String, before limit: Date) async throws -> Int {
        try await threadPool.runIfActive {
            var removed = 0
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let path = folder + "/" + name
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
                if (modified ?? .distantPast) < limit, (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
            }
            return removed
        }
    }
}
