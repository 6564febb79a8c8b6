import Foundation
import HTTPTypes
import ServiceKit
import Testing

@testable import Social

/// Reordering a playlist: listed videos go where asked, the rest keep their order,
/// and every malformed request is refused whole.
@Suite struct ReorderPlanTests {
    let a = UUID(), b = UUID(), c = UUID(), d = UUID()
    var current: [UUID] { [a, b, c, d] }

    @Test func aFullPermutationIsStoredAsGiven() throws {
        let plan = try ReorderPlan(current: current, moves: [
            .init(videoID: d, position: 0), .init(videoID: c, position: 1), .init(videoID: b, position: 2), .init(videoID: a, position: 3),
        ])
        #expect(plan.order == [d, c, b, a])
    }

    @Test func aPartialListMovesOnlyTheListedVideos() throws {
        let plan = try ReorderPlan(current: current, moves: [.init(videoID: d, position: 0)])
        #expect(plan.order == [d, a, b, c])
        let swap = try ReorderPlan(current: current, moves: [.init(videoID: a, position: 2), .init(videoID: c, position: 0)])
        #expect(swap.order == [c, b, a, d])
    }

    @Test func anEmptyListChangesNothing() throws {
        #expect(try ReorderPlan(current: current, moves: []).order == current)
    }

    @Test func aDuplicatePositionIsA422() {
        expectStatus(422) { try ReorderPlan(current: current, moves: [.init(videoID: a, position: 1), .init(videoID: b, position: 1)]) }
    }

    @Test func theSameVideoTwiceIsA422() {
        expectStatus(422) { try ReorderPlan(current: current, moves: [.init(videoID: a, position: 1), .init(videoID: a, position: 2)]) }
    }

    @Test(arguments: [-1, 4, 100])
    func aPositionOutsideThePlaylistIsA422(position: Int) {
        expectStatus(422) { try ReorderPlan(current: current, moves: [.init(videoID: a, position: position)]) }
    }

    @Test func anUnknownVideoIsA404() {
        expectStatus(404) { try ReorderPlan(current: current, moves: [.init(videoID: UUID(), position: 0)]) }
    }

    private func expectStatus(_ status: Int, _ body: () throws -> ReorderPlan) {
        do {
            let plan = try body()
            Issue.record("expected \(status), got the order \(plan.order)")
        } catch let error as APIError {
            #expect(Int(error.status.code) == status)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
