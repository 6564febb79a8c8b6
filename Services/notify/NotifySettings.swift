import Configuration
import Foundation
import Mail

/// The notify service's own settings.
///
/// Configuration keys:
/// - `public.url` (`PUBLIC_URL`, default `http://localhost:8080`): where links in emails point.
/// - `smtp.url` (`SMTP_URL`, secret): `smtp://user:pass@host:587` (STARTTLS when offered) or
///   `smtps://...`; unset: emails are written as `.eml` files to `mail.dir`.
/// - `mail.dir` (`MAIL_DIR`, default `.local/mail`): the development mailbox.
/// - `mail.from` (`MAIL_FROM`, default `no-reply@clipset.local`) and `mail.from.name`
///   (`MAIL_FROM_NAME`, default `Clipset`): the sender.
/// - `mail.poll.ms` (`MAIL_POLL_MS`, default 1000): how often the sender looks for due emails.
/// - `mail.retry.max.seconds` (`MAIL_RETRY_MAX_SECONDS`, default 300): the longest back-off.
/// - `mail.max.attempts` (`MAIL_MAX_ATTEMPTS`, default 50): attempts before an email is `failed`.
struct NotifySettings: Sendable {
    var publicURL: String
    var smtp: SMTPSettings?
    var mailDirectory: URL
    var from: MailAddress
    var pollInterval: Duration
    var retryMax: Duration
    var maxAttempts: Int

    init(reader: ConfigReader) throws {
        var url = reader.string(forKey: "public.url", default: "http://localhost:8080")
        while url.hasSuffix("/") { url.removeLast() }
        publicURL = url
        let smtpURL = reader.string(forKey: "smtp.url", isSecret: true, default: "")
        smtp = smtpURL.isEmpty ? nil : try SMTPSettings(url: smtpURL)
        mailDirectory = URL(fileURLWithPath: reader.string(forKey: "mail.dir", default: ".local/mail"))
        from = try MailAddress(
            reader.string(forKey: "mail.from", default: "no-reply@clipset.local"),
            name: reader.string(forKey: "mail.from.name", default: "Clipset"))
        pollInterval = .milliseconds(max(50, reader.int(forKey: "mail.poll.ms", default: 1000)))
        retryMax = .seconds(max(1, reader.int(forKey: "mail.retry.max.seconds", default: 300)))
        maxAttempts = max(1, reader.int(forKey: "mail.max.attempts", default: 50))
    }

    /// `PUBLIC_URL` + `path`.
    func link(_ path: String) -> String { publicURL + path }
}
