import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Turns events into emails and in-app notifications, in the inbox transaction of
/// each event (so a redelivered event makes nothing twice), and keeps notify's
/// read model of users' names and addresses. Media's video events also feed each
/// uploader's live stream (``LiveFeed``).
struct NotifyEventHandlers: Sendable {
    let composer: EmailComposer
    let settings: NotifySettings
    let live: LiveFeed

    /// The event types ``register(in:)`` handles (the service refuses to start when they differ).
    static let eventTypes = [
        UserRegistered.eventType, UserUpdated.eventType, InvitationCreated.eventType, PasswordResetRequested.eventType,
        VideoProcessed.eventType, VideoFailed.eventType, VideoCreated.eventType, VideoUpdated.eventType,
        VideoDeleted.eventType, CommentCreated.eventType,
    ]

    func register(in handlers: inout EventHandlers) {
        handlers.on(UserRegistered.self) { event, connection, logger in
            let user = event.data
            try await connection.query("""
                INSERT INTO notify.users (user_id, username, email, changed_at)
                VALUES (\(user.userID), \(user.username), \(user.email), \(event.occurredAt))
                ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email,
                    changed_at = EXCLUDED.changed_at
                WHERE users.changed_at <= EXCLUDED.changed_at
                """, logger: logger)
            guard user.imported != true else { return }  // an account brought over from the original
            let recipient = Recipient(userID: user.userID, username: user.username, email: user.email)
            try await email(.welcome, to: recipient, event: event.id, subject: "Welcome to Clipset, \(user.username)",
                            values: ["link": settings.link("/")], connection, logger)
        }
        handlers.on(UserUpdated.self) { event, connection, logger in
            try await connection.query("""
                UPDATE notify.users SET username = \(event.data.username), changed_at = \(event.occurredAt)
                WHERE user_id = \(event.data.userID) AND changed_at <= \(event.occurredAt)
                """, logger: logger)
        }
        handlers.on(InvitationCreated.self) { event, connection, logger in
            let invitation = event.data
            try await queue(.invitation, to: invitation.email, userID: nil, event: event.id,
                            subject: "You're invited to Clipset",
                            values: ["link": invitation.invitationLink, "expires": Self.day(invitation.expiresAt)],
                            connection, logger)
        }
        handlers.on(PasswordResetRequested.self) { event, connection, logger in
            let reset = event.data
            try await queue(.passwordReset, to: reset.email, userID: reset.userID, event: event.id,
                            subject: "Reset your Clipset password",
                            values: ["link": reset.resetLink, "username": reset.username, "expires": Self.time(reset.expiresAt)],
                            connection, logger)
        }
        handlers.on(VideoProcessed.self) { event, connection, logger in
            try await live(VideoProcessed.eventType, event.data.video, event.id, event.occurredAt, connection, logger)
            try await videoSettled(event.data.video, failed: false, event: event.id, connection, logger)
        }
        handlers.on(VideoFailed.self) { event, connection, logger in
            try await live(VideoFailed.eventType, event.data.video, event.id, event.occurredAt, connection, logger)
            try await videoSettled(event.data.video, failed: true, event: event.id, connection, logger)
        }
        handlers.on(VideoCreated.self) { event, connection, logger in
            guard let video = event.data.video else { return }
            try await live(VideoCreated.eventType, video, event.id, event.occurredAt, connection, logger)
        }
        handlers.on(VideoUpdated.self) { event, connection, logger in
            try await live(VideoUpdated.eventType, event.data.video, event.id, event.occurredAt, connection, logger)
        }
        handlers.on(VideoDeleted.self) { event, connection, logger in
            try await live.record("video.deleted", LiveStatusBody(deleted: event.data.videoID, occurredAt: event.occurredAt),
                                  for: event.data.uploadedBy, event: event.id, on: connection, logger: logger)
        }
        handlers.on(CommentCreated.self) { event, connection, logger in
            try await commented(event.data, event: event.id, connection, logger)
        }
    }

    // MARK: - Videos and comments

    /// A `video.status` event on the uploader's live stream.
    private func live(
        _ type: String, _ video: VideoSnapshot, _ event: UUID, _ occurredAt: Date, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        try await live.record("video.status", LiveStatusBody(type: type, video: video, occurredAt: occurredAt),
                              for: video.uploadedBy, event: event, on: connection, logger: logger)
    }

    private func videoSettled(
        _ video: VideoSnapshot, failed: Bool, event: UUID, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let kind: EmailKind = failed ? .videoFailed : .videoProcessed
        let path = "/v/\(video.shortID)"
        let title = failed ? "Your video \"\(video.title)\" could not be processed" : "Your video \"\(video.title)\" is ready"
        let body = failed ? (video.errorMessage ?? "Processing failed.") : "It is ready to watch and share."
        try await InAppNotice(userID: video.uploadedBy, eventID: event, kind: kind, title: title, body: body, link: path)
            .save(on: connection, logger: logger)
        guard let recipient = try await Recipient.find(video.uploadedBy, on: connection, logger: logger) else { return }
        var values = ["title": video.title, "link": settings.link(path)]
        if failed, let error = video.errorMessage { values["error"] = error }
        try await email(kind, to: recipient, event: event, subject: title, values: values, connection, logger)
    }

    /// A top-level comment tells the video's owner; a reply tells the parent's author (only them,
    /// even when they own the video). Nobody hears of their own comment.
    private func commented(_ comment: CommentCreated, event: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let kind: EmailKind
        let userID: UUID
        if let parentAuthor = comment.parentAuthorID {
            (kind, userID) = (.newReply, parentAuthor)
        } else {
            (kind, userID) = (.newComment, comment.videoOwnerID)
        }
        guard userID != comment.authorID else { return }
        let path = "/v/\(comment.videoShortID)"
        let title = kind == .newReply
            ? "\(comment.authorUsername) replied to your comment on \"\(comment.videoTitle)\""
            : "\(comment.authorUsername) commented on \"\(comment.videoTitle)\""
        try await InAppNotice(userID: userID, eventID: event, kind: kind, title: title, body: comment.content, link: path)
            .save(on: connection, logger: logger)
        guard let recipient = try await Recipient.find(userID, on: connection, logger: logger) else { return }
        try await email(kind, to: recipient, event: event, subject: title,
                        values: ["title": comment.videoTitle, "author": comment.authorUsername, "content": comment.content,
                                 "link": settings.link(path)],
                        connection, logger)
    }

    // MARK: - Queueing

    /// An email to a user, unless they turned its kind off.
    private func email(
        _ kind: EmailKind, to recipient: Recipient, event: UUID, subject: String, values: [String: String],
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard try await EmailQueue.wants(recipient.userID, kind, on: connection, logger: logger) else {
            logger.debug("email not wanted", metadata: ["email.kind": "\(kind.rawValue)", "user.id": "\(recipient.userID)"])
            return
        }
        var values = values
        values["username"] = recipient.username
        try await queue(kind, to: recipient.email, userID: recipient.userID, event: event, subject: subject, values: values,
                        connection, logger)
    }

    private func queue(
        _ kind: EmailKind, to address: String, userID: UUID?, event: UUID, subject: String, values: [String: String],
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let bodies = try composer.bodies(kind, values)
        try await EmailQueue.enqueue(
            .init(eventID: event, kind: kind, userID: userID, to: address, subject: subject, text: bodies.text, html: bodies.html),
            on: connection, logger: logger)
    }

    /// "24 Nov 2026", the day an invitation lapses.
    private static func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: Locale(identifier: "en_GB"), timeZone: .gmt))
    }

    /// "24 Nov 2026, 00:12 UTC", when a reset link lapses.
    private static func time(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"), timeZone: .gmt))
            + " UTC"
    }
}
