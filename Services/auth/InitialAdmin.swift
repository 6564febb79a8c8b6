import Contracts
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// Creates the first admin from `INITIAL_ADMIN_*` when no admin exists, under
/// an advisory lock so replicas starting together create one.
struct InitialAdmin {
    let components: AuthComponents

    func ensure() async throws {
        let admin = components.settings.initialAdmin
        let email = admin.email.lowercased()
        let username = admin.username.lowercased()
        if let problem = EmailSyntax.problem(in: email) {
            throw AuthConfigurationError("INITIAL_ADMIN_EMAIL is not a valid email address: \(problem)")
        }
        guard try await !components.users.adminExists() else { return }
        let hash = try await components.hasher.hash(admin.password)
        let created = try await components.transaction { connection -> Bool in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('clipset.auth.initial_admin'))", logger: components.logger)
            let rows = try await connection.query("""
                SELECT 1 FROM auth.users WHERE role = 'admin' OR email = \(email) OR username = \(username) LIMIT 1
                """, logger: components.logger)
            for try await _ in rows { return false }
            let id = try await components.users.insert(
                email: email, username: username, passwordHash: hash, role: .admin, on: connection)
            let event = UserRegistered(userID: id, username: username, email: email, role: Role.admin.rawValue, createdAt: Date())
            _ = try await components.outbox.enqueue(event, on: connection, logger: components.logger)
            return true
        }
        if created {
            components.logger.notice("created the initial admin", metadata: ["user.name": "\(username)"])
        } else if try await !components.users.adminExists() {
            components.logger.warning("no admin exists, and INITIAL_ADMIN_EMAIL or _USERNAME belongs to another user")
        }
    }
}
