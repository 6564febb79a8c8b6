import Foundation
import HTTPTypes
import ServiceKit

/// A reorder request checked against a playlist's current order: the listed
/// videos go to the listed positions, the others fill the remaining positions in
/// their previous order, so positions stay 0..n-1. Nothing is guessed: a video
/// twice, a position twice or out of range is a 422, an unknown video a 404.
struct ReorderPlan: Equatable {
    /// One `{video_id, position}` of the request.
    struct Move: Equatable {
        var videoID: UUID
        var position: Int
    }

    /// The new order, first to last.
    let order: [UUID]

    init(current: [UUID], moves: [Move]) throws {
        var problems = FieldReader(location: "body", values: [:])
        var seenVideos = Set<UUID>(), seenPositions = Set<Int>()
        for (index, move) in moves.enumerated() {
            let key = "video_positions.\(index)"
            if !seenVideos.insert(move.videoID).inserted {
                problems.report(key, "Value error, Video \(move.videoID.apiString) is listed more than once")
            }
            if !current.indices.contains(move.position) {
                let range = current.isEmpty ? "the playlist is empty" : "positions are 0 to \(current.count - 1)"
                problems.report(key, "Value error, Position \(move.position) is not in the playlist (\(range))")
            } else if !seenPositions.insert(move.position).inserted {
                problems.report(key, "Value error, Position \(move.position) is given more than once")
            }
        }
        try problems.validate()
        let known = Set(current)
        if let unknown = moves.first(where: { !known.contains($0.videoID) }) {
            throw APIError(.notFound, "Video \(unknown.videoID.apiString) not found in playlist")
        }
        var slots = [UUID?](repeating: nil, count: current.count)
        for move in moves { slots[move.position] = move.videoID }
        // As many free slots as unlisted videos: the moves are distinct, known and in range.
        var rest = current.filter { !seenVideos.contains($0) }[...]
        order = slots.compactMap { slot in slot ?? rest.popFirst() }
    }
}
