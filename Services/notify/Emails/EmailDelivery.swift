import Database
import Foundation
import Logging
import Mail
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Sends the queued emails (``EmailQueue``): every `pollInterval` it claims the due ones
/// (`FOR UPDATE SKIP LOCKED`, so replicas share the work; a claim is a lease, so a sender
/// that dies mid-send gives its emails back), sends each through `transport`, and settles
/// it: `sent`; or `pending` again after a back-off doubling up to `retryMax` when the
/// failure may pass (SMTP down, a timeout); or `failed`, with the error kept, when it
/// cannot (a rejected address) or after `maxAttempts`.
struct EmailDelivery: Service {
    let postgres: PostgresClient
    let transport: any MailTransport
    let from: MailAddress
    let pollInterval: Duration
    let retryMax: Duration
    let maxAttempts: Int
    let logger: Logger
    /// How long a claimed email stays with its sender before another may take it.
    static let lease = 120
    /// Emails claimed per round.
    static let batch = 20

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await deliverDue() == Self.batch {}
                } catch {
                    logger.warning("email delivery round failed; retried", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: pollInterval) } catch { return }
            }
        }
    }

    /// Claims and sends one batch of due emails; returns how many were claimed.
    func deliverDue() async throws -> Int {
        let claimed = try await postgres.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE notify.emails e SET state = 'sending', attempts = attempts + 1,
                    lease_expires_at = clock_timestamp() + make_interval(secs => \(Self.lease))
                WHERE e.id IN (
                    SELECT id FROM notify.emails
                    WHERE (state = 'pending' AND next_attempt_at <= clock_timestamp())
                       OR (state = 'sending' AND lease_expires_at < clock_timestamp())
                    ORDER BY next_attempt_at LIMIT \(Self.batch) FOR UPDATE SKIP LOCKED)
                RETURNING e.id, e.kind, e.event_id, e.to_address, e.subject, e.text_body, e.html_body, e.attempts
                """, logger: logger).collect().map(QueuedEmail.init(row:))
        }
        for email in claimed {
            try await deliver(email)
        }
        return claimed.count
    }

    private func deliver(_ email: QueuedEmail) async throws {
        do {
            try await transport.send(try email.message(from: from))
            try await settle(email, state: "sent", error: nil, retryAfter: nil)
            Counter(label: "notify_emails_total", dimensions: [("kind", email.kind), ("result", "sent")]).increment()
        } catch let error as MailError where error.isRetriable && email.attempts < maxAttempts {
            let delay = min(retryMax.components.seconds, Int64(1) << min(email.attempts, 20))
            logger.info("email not sent; retried", metadata: [
                "email.id": "\(email.id)", "email.attempts": "\(email.attempts)", "error": "\(error)", "retry.seconds": "\(delay)",
            ])
            try await settle(email, state: "pending", error: "\(error)", retryAfter: Int(delay))
            Counter(label: "notify_emails_total", dimensions: [("kind", email.kind), ("result", "retried")]).increment()
        } catch {
            logger.error("email failed", metadata: ["email.id": "\(email.id)", "error": "\(error)"])
            try await settle(email, state: "failed", error: "\(error)", retryAfter: nil)
            Counter(label: "notify_emails_total", dimensions: [("kind", email.kind), ("result", "failed")]).increment()
        }
    }

    private func settle(_ email: QueuedEmail, state: String, error: String?, retryAfter: Int?) async throws {
        _ = try await postgres.rows("""
            UPDATE notify.emails SET state = \(state), last_error = \(error), lease_expires_at = NULL,
                sent_at = CASE WHEN \(state) = 'sent' THEN clock_timestamp() ELSE sent_at END,
                next_attempt_at = clock_timestamp() + make_interval(secs => \(retryAfter ?? 0))
            WHERE id = \(email.id) AND state = 'sending'
            """, logger: logger)
    }
}

/// A claimed row of `notify.emails`.
struct QueuedEmail: Sendable {
    var id: UUID
    var kind: String
    var eventID: UUID
    var to: String
    var subject: String
    var text: String
    var html: String
    var attempts: Int

    init(row: PostgresRow) throws {
        (id, kind, eventID, to, subject, text, html, attempts) = try row.decode(
            (UUID, String, UUID, String, String, String, String, Int).self)
    }

    /// The message, with a `Message-ID` of its row (a resend after a crash is recognisably the same
    /// email) and headers saying what caused it.
    func message(from: MailAddress) throws -> MailMessage {
        try MailMessage(
            from: from, to: [MailAddress(to)], subject: subject, text: text, html: html,
            headers: [MailHeader("X-Clipset-Kind", kind), MailHeader("X-Clipset-Event", eventID.uuidString.lowercased())],
            messageID: "<email-\(id.uuidString.lowercased())@clipset>")
    }
}
