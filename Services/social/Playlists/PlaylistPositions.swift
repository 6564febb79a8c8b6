import Foundation
import Logging
import PostgresNIO

/// Keeps a playlist's positions 0..n-1. Every change runs in a transaction that
/// holds the playlist's row lock; the unique (playlist, position) constraint is
/// checked at commit, so the steps here may pass through duplicates.
enum PlaylistPositions {
    /// Renumbers the entries 0..n-1 in their current order.
    static func compact(_ playlistID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE social.playlist_entries e SET position = r.rank - 1
            FROM (SELECT id, row_number() OVER (ORDER BY position, added_at, id) AS rank
                  FROM social.playlist_entries WHERE playlist_id = \(playlistID)) r
            WHERE e.id = r.id AND e.position <> r.rank - 1
            """, logger: logger)
    }

    /// Moves the entries at `position` and after one place down, making room there.
    static func openGap(at position: Int, in playlistID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE social.playlist_entries SET position = position + 1
            WHERE playlist_id = \(playlistID) AND position >= \(position)
            """, logger: logger)
    }

    /// Stores `order` (every video of the playlist, first to last) as positions 0..n-1.
    static func store(_ order: [UUID], in playlistID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let positions = order.indices.map { Int32($0) }
        try await connection.query("""
            UPDATE social.playlist_entries e SET position = o.position
            FROM unnest(\(order)::uuid[], \(positions)::int[]) AS o(video_id, position)
            WHERE e.playlist_id = \(playlistID) AND e.video_id = o.video_id AND e.position <> o.position
            """, logger: logger)
    }
}
