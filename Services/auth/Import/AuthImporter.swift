import Contracts
import Crypto
import Database
import Foundation
import ImportKit
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization

/// Writes an original Clipset's users and invitations into `auth`, each with the
/// events a registration would have sent (marked imported, so nobody is welcomed
/// again), in one transaction. Rows whose id exists already are left as they are; a
/// source user whose name or address a Clipset account has is merged into that
/// account (its password stays Clipset's).
struct AuthImporter: Sendable {
    let options: ImportOptions
    let outbox: Outbox
    let avatars: URL
    let logger: Logger
    let progress = ImportProgress(service: "auth")

    /// The report and the merged users (source id → Clipset id).
    func run(_ document: ImportDocument, client: PostgresClient) async throws -> (ImportReport, [UUID: UUID]) {
        let merged = Mutex<[UUID: UUID]>([:])
        let copies = Mutex<[(URL, URL)]>([])
        let report = try await ImportSession.transaction(client, dryRun: options.dryRun, logger: logger) { connection in
            var report = ImportReport(service: "auth", dryRun: options.dryRun)
            var mapping: [UUID: UUID] = [:]
            var files: [(URL, URL)] = []
            for (index, user) in document.users.enumerated() {
                try await importUser(user, on: connection, report: &report, mapping: &mapping, copies: &files)
                progress.count("users", index + 1, of: document.users.count)
            }
            for (index, invitation) in document.invitations.enumerated() {
                try await importInvitation(invitation, mapping: mapping, on: connection, report: &report)
                progress.count("invitations", index + 1, of: document.invitations.count)
            }
            try await announce(Set(mapping.filter { $0.key != $0.value }.values), on: connection)
            try await countPresent(document, mapping: mapping, on: connection, report: &report)
            merged.withLock { $0 = mapping.filter { $0.key != $0.value } }
            copies.withLock { [files] in $0 = files }
            return report
        }
        if !options.dryRun {
            try await ImportFiles.copyAll(copies.withLock { $0 })
        }
        return (report, merged.withLock { $0 })
    }

    private func importUser(
        _ user: ImportDocument.User, on connection: PostgresConnection, report: inout ImportReport,
        mapping: inout [UUID: UUID], copies: inout [(URL, URL)]
    ) async throws {
        report.update("users") { $0.source += 1 }
        let username = user.username.lowercased(), email = user.email.lowercased()
        let existing = try await connection.query(
            "SELECT id FROM auth.users WHERE id = \(user.id) OR username = \(username) OR email = \(email) ORDER BY id = \(user.id) DESC LIMIT 1",
            logger: logger).collect()
        if let row = existing.first {
            let id = try row.decode(UUID.self)
            mapping[user.id] = id
            report.update("users") { id == user.id ? ($0.existing += 1) : ($0.merged += 1) }
            return
        }
        var rules = FieldReader(location: "body", values: [:])
        guard AccountRules.username(user.username, into: &rules) != nil else {
            return report.skip("users", "\(user.id): username '\(user.username)' is not 3-50 letters, digits or _")
        }
        if let problem = EmailSyntax.problem(in: email) {
            return report.skip("users", "\(user.id): '\(user.email)' is not an email address (\(problem))")
        }
        guard user.passwordHash.hasPrefix("$2") else {
            return report.skip("users", "\(user.id) (\(username)): the password is not a bcrypt hash")
        }
        let role = user.role.lowercased() == "admin" ? "admin" : "user"
        var avatar: String?
        if let name = user.avatarFilename {
            if let source = options.sourceFile("avatars", name), name.lowercased().hasSuffix(".webp") {
                let target = Self.avatarName(for: user.id, source: name)
                avatar = target
                copies.append((source, avatars.appendingPathComponent(target)))
            } else {
                report.problems.append("users: \(username)'s avatar \(name) is missing or not WebP; imported without it")
            }
        }
        try await connection.query("""
            INSERT INTO auth.users (id, email, username, password_hash, role, is_active, avatar_filename, created_at, updated_at)
            VALUES (\(user.id), \(email), \(username), \(user.passwordHash), \(role), \(user.isActive), \(avatar),
                    \(user.createdAt), \(user.createdAt))
            """, logger: logger)
        _ = try await outbox.enqueue(
            UserRegistered(userID: user.id, username: username, email: email, role: role, createdAt: user.createdAt, imported: true),
            on: connection, logger: logger)
        if let avatar {
            _ = try await outbox.enqueue(
                UserUpdated(userID: user.id, username: username, role: role, avatarURL: "/media/avatars/\(avatar)"),
                on: connection, logger: logger)
        }
        if !user.isActive {
            _ = try await outbox.enqueue(UserDeactivated(userID: user.id), on: connection, logger: logger)
        }
        mapping[user.id] = user.id
        report.update("users") { $0.imported += 1 }
    }

    private func importInvitation(
        _ invitation: ImportDocument.Invitation, mapping: [UUID: UUID], on connection: PostgresConnection,
        report: inout ImportReport
    ) async throws {
        let slot = try await ImportSlot.find(
            "SELECT id = \(invitation.id) FROM auth.invitations WHERE id = \(invitation.id) OR token = \(invitation.token)",
            on: connection, logger: logger)
        guard report.admit(slot, "invitations", conflict: "\(invitation.id): its token belongs to another invitation") else { return }
        guard let creator = mapping[invitation.createdBy] else {
            return report.skip("invitations", "\(invitation.id): its creator \(invitation.createdBy) was not imported")
        }
        try await connection.query("""
            INSERT INTO auth.invitations (id, email, token, created_by, created_at, expires_at, used, used_at)
            VALUES (\(invitation.id), \(invitation.email.lowercased()), \(invitation.token), \(creator), \(invitation.createdAt),
                    \(invitation.expiresAt), \(invitation.used), \(invitation.usedAt))
            """, logger: logger)
        report.update("invitations") { $0.imported += 1 }
    }

    /// Announces the accounts source users were merged into, as a registration would: the
    /// other services' read models may not know them (the initial admin is registered while
    /// they start), and imported content is shown under their names.
    private func announce(_ accounts: Set<UUID>, on connection: PostgresConnection) async throws {
        for id in accounts.sorted(by: { $0.uuidString < $1.uuidString }) {
            let rows = try await connection.query(
                "SELECT username, email, role, created_at, avatar_filename FROM auth.users WHERE id = \(id)", logger: logger
            ).collect()
            guard let row = rows.first else { continue }
            let (username, email, role, createdAt, avatar) = try row.decode((String, String, String, Date, String?).self)
            _ = try await outbox.enqueue(
                UserRegistered(userID: id, username: username, email: email, role: role, createdAt: createdAt, imported: true),
                on: connection, logger: logger)
            _ = try await outbox.enqueue(
                UserUpdated(userID: id, username: username, role: role, avatarURL: avatar.map { "/media/avatars/\($0)" }),
                on: connection, logger: logger)
        }
    }

    private func countPresent(
        _ document: ImportDocument, mapping: [UUID: UUID], on connection: PostgresConnection, report: inout ImportReport
    ) async throws {
        let users = document.users.map { mapping[$0.id] ?? $0.id }
        let invitations = document.invitations.map(\.id)
        let userCount = try await connection.query(
            "SELECT count(DISTINCT id) FROM auth.users WHERE id = ANY(\(users))", logger: logger).collect()
        let invitationCount = try await connection.query(
            "SELECT count(*) FROM auth.invitations WHERE id = ANY(\(invitations))", logger: logger).collect()
        let presentUsers = try userCount.first?.decode(Int.self) ?? 0
        // Several source users merged into one account each count as present.
        let mergedExtra = document.users.count - Set(users).count
        report.update("users") { $0.present = presentUsers + mergedExtra }
        report.update("invitations") { $0.present = (try? invitationCount.first?.decode(Int.self)) ?? 0 }
    }

    /// The source name when it has the shape auth's avatars have, else `<user id>_<8 hex>.webp`
    /// (the same for the same source, so a second import finds it).
    static func avatarName(for userID: UUID, source: String) -> String {
        if AvatarStore.isAvatarName(source), source.hasPrefix(userID.apiString) { return source }
        let digest = SHA256.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(userID.apiString)_\(digest.prefix(8)).webp"
    }
}
