import Database
import Foundation
import Hummingbird
import Identity
import Logging
import PostgresNIO
import ServiceKit

/// `GET`/`PATCH /api/notifications/preferences`: one boolean per kind of
/// email a user may turn off (invitations and resets always go).
struct PreferencesController {
    /// The kinds, in the order of the table's columns.
    static let kinds = ["welcome", "video_processed", "video_failed", "new_comment", "new_reply"]

    let postgres: PostgresClient
    let logger: Logger

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/notifications/preferences", context: AuthenticatedContext.self)
        group.get("", use: show)
        group.patch("", use: update)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Preferences {
        try await load(context.identity.userID)
    }

    /// Applies the booleans sent; an unknown key or a non-boolean is a 422.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Preferences {
        var request = request
        let body = try await request.jsonFields()
        var current = try await load(context.identity.userID)
        var problems: [APIError.FieldProblem] = []
        for (key, value) in body.values.sorted(by: { $0.key < $1.key }) {
            guard Self.kinds.contains(key) else {
                problems.append(.init(loc: ["body", key], msg: "Extra inputs are not permitted", type: "extra_forbidden", input: value))
                continue
            }
            guard case .bool(let enabled) = value else {
                problems.append(.init(loc: ["body", key], msg: "Input should be a valid boolean", type: "bool_type", input: value))
                continue
            }
            current.enabled[key] = enabled
        }
        if !problems.isEmpty { throw APIError(validation: problems) }
        let e = current.enabled
        _ = try await postgres.rows("""
            INSERT INTO notify.preferences (user_id, welcome, video_processed, video_failed, new_comment, new_reply)
            VALUES (\(context.identity.userID), \(e["welcome"] ?? true), \(e["video_processed"] ?? true),
                \(e["video_failed"] ?? true), \(e["new_comment"] ?? true), \(e["new_reply"] ?? true))
            ON CONFLICT (user_id) DO UPDATE SET welcome = EXCLUDED.welcome, video_processed = EXCLUDED.video_processed,
                video_failed = EXCLUDED.video_failed, new_comment = EXCLUDED.new_comment, new_reply = EXCLUDED.new_reply,
                updated_at = clock_timestamp()
            """, logger: logger)
        return current
    }

    private func load(_ userID: UUID) async throws -> Preferences {
        let rows = try await postgres.rows("""
            SELECT welcome, video_processed, video_failed, new_comment, new_reply FROM notify.preferences WHERE user_id = \(userID)
            """, logger: logger)
        for row in rows {
            let (a, b, c, d, e) = try row.decode((Bool, Bool, Bool, Bool, Bool).self)
            return Preferences(enabled: Dictionary(uniqueKeysWithValues: zip(Self.kinds, [a, b, c, d, e])))
        }
        return Preferences(enabled: Dictionary(uniqueKeysWithValues: Self.kinds.map { ($0, true) }))
    }
}

/// The preferences as JSON: `{"welcome": true, ...}`.
struct Preferences: ResponseEncodable {
    var enabled: [String: Bool]

    func encode(to encoder: any Encoder) throws {
        try enabled.encode(to: encoder)
    }
}
