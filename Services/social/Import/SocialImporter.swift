import Contracts
import Foundation
import ImportKit
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization

/// Writes an original Clipset's categories, playlists (positions made 0..n-1 in the
/// source's order) and comments into `social`, in one transaction, with the events
/// creating them would send (`social.category.created`, `social.playlist.created`; none
/// for comments, whose authors were notified long ago). Rows whose id exists are left.
struct SocialImporter: Sendable {
    let options: ImportOptions
    let outbox: Outbox
    let images: URL
    let logger: Logger
    let progress = ImportProgress(service: "social")

    func run(_ document: ImportDocument, client: PostgresClient) async throws -> ImportReport {
        let copies = Mutex<[(URL, URL)]>([])
        let report = try await ImportSession.transaction(client, dryRun: options.dryRun, logger: logger) { connection in
            var report = ImportReport(service: "social", dryRun: options.dryRun)
            var files: [(URL, URL)] = []
            for (index, category) in document.categories.enumerated() {
                try await importCategory(category, on: connection, report: &report, files: &files)
                progress.count("categories", index + 1, of: document.categories.count)
            }
            for (index, playlist) in document.playlists.enumerated() {
                try await importPlaylist(playlist, on: connection, report: &report)
                progress.count("playlists", index + 1, of: document.playlists.count)
            }
            try await importEntries(document, on: connection, report: &report)
            try await importComments(document.comments, on: connection, report: &report)
            try await countPresent(document, on: connection, report: &report)
            copies.withLock { [files] in $0 = files }
            return report
        }
        if !options.dryRun {
            try await ImportFiles.copyAll(copies.withLock { $0 })
        }
        return report
    }

    // MARK: - Categories

    private func importCategory(
        _ category: ImportDocument.Category, on connection: PostgresConnection, report: inout ImportReport,
        files: inout [(URL, URL)]
    ) async throws {
        report.update("categories") { $0.source += 1 }
        let found = try await connection.query(
            "SELECT id FROM social.categories WHERE id = \(category.id) OR name = \(category.name) OR slug = \(category.slug)",
            logger: logger).collect()
        if let row = found.first {
            let id = try row.decode(UUID.self)
            // Same name or slug: the Clipset category stands for it (media finds it by slug).
            return report.update("categories") { id == category.id ? ($0.existing += 1) : ($0.merged += 1) }
        }
        var imageName: String?
        if let name = category.imageFilename {
            if let source = options.sourceFile("category-images", name), Self.isWebP(source) {
                imageName = "\(category.id.apiString).webp"
                files.append((source, images.appendingPathComponent(imageName!)))
            } else {
                report.problems.append("categories: the image \(name) of '\(category.name)' is missing or not WebP; imported without it")
            }
        }
        try await connection.query("""
            INSERT INTO social.categories (id, name, slug, description, image_filename, image_version, created_by, created_at, updated_at)
            VALUES (\(category.id), \(category.name), \(category.slug), \(category.description), \(imageName),
                    \(imageName == nil ? 0 : 1), \(category.createdBy), \(category.createdAt), \(category.updatedAt))
            """, logger: logger)
        _ = try await outbox.enqueue(
            CategoryCreated(category: CategorySnapshot(id: category.id, name: category.name, slug: category.slug)),
            on: connection, logger: logger)
        report.update("categories") { $0.imported += 1 }
    }

    /// RIFF....WEBP: the image is what social serves as `image/webp`.
    static func isWebP(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 12)) ?? Data())
        return head.count == 12 && Array(head[0..<4]) == Array("RIFF".utf8) && Array(head[8..<12]) == Array("WEBP".utf8)
    }

    // MARK: - Playlists

    private func importPlaylist(
        _ playlist: ImportDocument.Playlist, on connection: PostgresConnection, report: inout ImportReport
    ) async throws {
        let slot = try await ImportSlot.find(
            "SELECT id = \(playlist.id) FROM social.playlists WHERE id = \(playlist.id) OR short_id = \(playlist.shortID)",
            on: connection, logger: logger)
        guard report.admit(slot, "playlists", conflict: "\(playlist.id): short id \(playlist.shortID) belongs to another playlist")
        else { return }
        guard ShortID.isWellFormed(playlist.shortID) else {
            return report.skip("playlists", "\(playlist.id): '\(playlist.shortID)' is not a 10-character short id")
        }
        try await connection.query("""
            INSERT INTO social.playlists (id, short_id, name, description, created_by, created_at, updated_at)
            VALUES (\(playlist.id), \(playlist.shortID), \(playlist.name), \(playlist.description), \(playlist.createdBy),
                    \(playlist.createdAt), \(playlist.updatedAt ?? playlist.createdAt))
            """, logger: logger)
        _ = try await outbox.enqueue(
            PlaylistCreated(playlistID: playlist.id, createdBy: playlist.createdBy), on: connection, logger: logger)
        report.update("playlists") { $0.imported += 1 }
    }

    /// Each playlist's new entries go after its present ones, in the source's order
    /// (position, then when added), so positions stay 0..n-1 whatever the source had.
    private func importEntries(_ document: ImportDocument, on connection: PostgresConnection, report: inout ImportReport) async throws {
        let byPlaylist = Dictionary(grouping: document.playlistVideos, by: \.playlistID)
        var done = 0
        for (playlistID, entries) in byPlaylist.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let ordered = entries.sorted { ($0.position, $0.addedAt, $0.id.uuidString) < ($1.position, $1.addedAt, $1.id.uuidString) }
            let exists = try await connection.query(
                "SELECT count(*) FROM social.playlists WHERE id = \(playlistID)", logger: logger).collect()
            guard try exists.first?.decode(Int.self) == 1 else {
                for entry in ordered {
                    report.update("playlist_videos") { $0.source += 1 }
                    report.skip("playlist_videos", "\(entry.id): its playlist \(playlistID) was not imported")
                }
                continue
            }
            let next = try await connection.query(
                "SELECT coalesce(max(position) + 1, 0) FROM social.playlist_entries WHERE playlist_id = \(playlistID)",
                logger: logger).collect()
            var position = try next.first?.decode(Int.self) ?? 0
            for entry in ordered {
                report.update("playlist_videos") { $0.source += 1 }
                let found = try await connection.query("""
                    SELECT id = \(entry.id) FROM social.playlist_entries
                    WHERE id = \(entry.id) OR (playlist_id = \(playlistID) AND video_id = \(entry.videoID))
                    """, logger: logger).collect()
                if let row = found.first {
                    if try row.decode(Bool.self) { report.update("playlist_videos") { $0.existing += 1 } } else {
                        report.skip("playlist_videos", "\(entry.id): the video \(entry.videoID) is in that playlist twice")
                    }
                    continue
                }
                try await connection.query("""
                    INSERT INTO social.playlist_entries (id, playlist_id, video_id, position, added_at, added_by)
                    VALUES (\(entry.id), \(playlistID), \(entry.videoID), \(position), \(entry.addedAt), \(entry.addedBy))
                    """, logger: logger)
                position += 1
                report.update("playlist_videos") { $0.imported += 1 }
                done += 1
                progress.count("playlist entries", done, of: document.playlistVideos.count, every: 500)
            }
        }
    }

    // MARK: - Comments

    /// Top-level comments first, then replies (a reply to a reply hangs off the top-level one, as
    /// Clipset has one level). The videos whose comments changed get a new cache version.
    private func importComments(_ comments: [ImportDocument.Comment], on connection: PostgresConnection, report: inout ImportReport) async throws {
        let byID = Dictionary(comments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func topLevel(_ comment: ImportDocument.Comment) -> UUID? {
            var parent = comment.parentID
            var hops = 0
            while let id = parent, let next = byID[id]?.parentID, hops < 100 { parent = next; hops += 1 }
            return parent
        }
        let ordered = comments.filter { $0.parentID == nil } + comments.filter { $0.parentID != nil }
        var changedVideos: Set<UUID> = []
        for (index, comment) in ordered.enumerated() {
            report.update("comments") { $0.source += 1 }
            let found = try await connection.query(
                "SELECT 1 FROM social.comments WHERE id = \(comment.id)", logger: logger).collect()
            if !found.isEmpty {
                report.update("comments") { $0.existing += 1 }
                continue
            }
            let parent = topLevel(comment)
            if let parent {
                let parentRow = try await connection.query(
                    "SELECT video_id FROM social.comments WHERE id = \(parent) AND parent_id IS NULL", logger: logger).collect()
                guard let video = try parentRow.first?.decode(UUID.self), video == comment.videoID else {
                    report.skip("comments", "\(comment.id): its parent \(parent) was not imported or is on another video")
                    continue
                }
            }
            try await connection.query("""
                INSERT INTO social.comments (id, video_id, user_id, parent_id, content, timestamp_seconds, created_at, updated_at)
                VALUES (\(comment.id), \(comment.videoID), \(comment.userID), \(parent), \(comment.content),
                        \(comment.timestampSeconds.map { max(0, $0) }), \(comment.createdAt), \(comment.updatedAt ?? comment.createdAt))
                """, logger: logger)
            changedVideos.insert(comment.videoID)
            report.update("comments") { $0.imported += 1 }
            progress.count("comments", index + 1, of: ordered.count, every: 500)
        }
        if !changedVideos.isEmpty {
            try await connection.query(
                "UPDATE social.videos SET comments_version = comments_version + 1 WHERE id = ANY(\(Array(changedVideos)))",
                logger: logger)
        }
    }

    private func countPresent(_ document: ImportDocument, on connection: PostgresConnection, report: inout ImportReport) async throws {
        func count(_ sql: PostgresQuery) async throws -> Int {
            try await connection.query(sql, logger: logger).collect().first?.decode(Int.self) ?? 0
        }
        let categories = try await count("""
            SELECT count(*) FROM social.categories WHERE id = ANY(\(document.categories.map(\.id)))
                OR name = ANY(\(document.categories.map(\.name))) OR slug = ANY(\(document.categories.map(\.slug)))
            """)
        let playlists = try await count("SELECT count(*) FROM social.playlists WHERE id = ANY(\(document.playlists.map(\.id)))")
        let entries = try await count(
            "SELECT count(*) FROM social.playlist_entries WHERE id = ANY(\(document.playlistVideos.map(\.id)))")
        let comments = try await count("SELECT count(*) FROM social.comments WHERE id = ANY(\(document.comments.map(\.id)))")
        report.update("categories") { $0.present = categories }
        report.update("playlists") { $0.present = playlists }
        report.update("playlist_videos") { $0.present = entries }
        report.update("comments") { $0.present = comments }
    }
}
