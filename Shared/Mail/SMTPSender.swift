import Logging
import NIOPosix

/// Sends mail over SMTP with libcurl (STARTTLS, implicit TLS, AUTH PLAIN/LOGIN).
///
/// Each send opens one connection, delivers the message to every recipient and closes it;
/// the blocking libcurl call runs on a `NIOThreadPool`, never on an event loop or in the
/// cooperative pool. Failures are ``MailError``s whose ``MailError/isRetriable`` tells a
/// caller whether to try again later.
package struct SMTPSender: MailTransport {
    /// Where and how mail is delivered.
    package let settings: SMTPSettings
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// Creates a sender; `threadPool` runs the blocking libcurl calls (the shared one by default).
    package init(settings: SMTPSettings, threadPool: NIOThreadPool = .singleton, logger: Logger) {
        self.settings = settings
        self.threadPool = threadPool
        self.logger = logger
    }

    package func send(_ message: MailMessage) async throws {
        let transfer = SMTPTransfer(
            settings: settings, sender: message.from.address, recipients: message.to.map(\.address),
            payload: message.rendered())
        let metadata: Logger.Metadata = [
            "mail.message_id": "\(message.messageID)", "mail.recipients": "\(message.to.count)",
            "smtp.server": "\(settings)",
        ]
        logger.debug("sending mail", metadata: metadata)
        do {
            try await threadPool.runIfActive { try transfer.perform() }
        } catch let error as MailError {
            logger.debug("mail not sent", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            throw error
        }
        logger.debug("mail sent", metadata: metadata)
    }
}
