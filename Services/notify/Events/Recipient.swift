import Foundation
import Logging
import PostgresNIO

/// A user as notify knows them from auth's events: the name and address emails use.
struct Recipient: Sendable {
    var userID: UUID
    var username: String
    var email: String

    /// The user, or nil when notify has not heard of them (then no email, only the in-app notice).
    static func find(_ userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Recipient? {
        let rows = try await connection.query(
            "SELECT username, email FROM notify.users WHERE user_id = \(userID)", logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (username, email) = try row.decode((String, String).self)
        return Recipient(userID: userID, username: username, email: email)
    }
}
