import Foundation
import Identity
import Testing

@testable import Social

/// Who may edit and delete a comment, judged against a fake clock (API §4.5).
@Suite struct CommentRulesTests {
    let author = Identity(userID: UUID(), username: "author", role: .user, tokenID: "a")
    let owner = Identity(userID: UUID(), username: "owner", role: .user, tokenID: "o")
    let stranger = Identity(userID: UUID(), username: "stranger", role: .user, tokenID: "s")
    let admin = Identity(userID: UUID(), username: "admin", role: .admin, tokenID: "x")
    let written = Date(timeIntervalSince1970: 1_800_000_000)

    func comment(updatedAfter seconds: TimeInterval = 0) -> CommentRecord {
        CommentRecord(
            id: UUID(), videoID: UUID(), userID: author.userID, parentID: nil, content: "hi", timestampSeconds: nil,
            createdAt: written, updatedAt: written.addingTimeInterval(seconds), authorUsername: "author",
            authorAvatarURL: nil, replyCount: 0, replies: nil)
    }

    func rules(at offset: TimeInterval) -> CommentRules {
        let now = written.addingTimeInterval(offset)
        return CommentRules(now: { now })
    }

    @Test(arguments: [0, 60, 3600, 86_399, 86_399.999])
    func theAuthorEditsWithin24Hours(after seconds: TimeInterval) {
        #expect(rules(at: seconds).canEdit(comment(), by: author))
    }

    @Test(arguments: [86_400, 86_401, 7 * 86_400])
    func theWindowClosesAt24Hours(after seconds: TimeInterval) {
        #expect(!rules(at: seconds).canEdit(comment(), by: author))
        #expect(!rules(at: seconds).isWithinEditWindow(comment()))
    }

    @Test func nobodyElseEdits() {
        let rules = rules(at: 10)
        #expect(!rules.canEdit(comment(), by: stranger))
        #expect(!rules.canEdit(comment(), by: admin))
        #expect(!rules.canEdit(comment(), by: owner))
    }

    @Test func theAuthorTheVideoOwnerAndAnAdminDelete() {
        let rules = rules(at: 30 * 86_400)
        #expect(rules.canDelete(comment(), by: author, videoOwner: owner.userID))
        #expect(rules.canDelete(comment(), by: owner, videoOwner: owner.userID))
        #expect(rules.canDelete(comment(), by: admin, videoOwner: owner.userID))
        #expect(!rules.canDelete(comment(), by: stranger, videoOwner: owner.userID))
    }

    @Test(arguments: [(0.0, false), (60.0, false), (60.5, true), (3600.0, true)])
    func editedMeansChangedMoreThanAMinuteLater(after seconds: TimeInterval, edited: Bool) {
        #expect(CommentRules.isEdited(comment(updatedAfter: seconds)) == edited)
    }
}
