/// Something that delivers a ``MailMessage``: ``SMTPSender`` in production, ``MailFileWriter``
/// in development, a recording fake in a test.
package protocol MailTransport: Sendable {
    /// Delivers the message; throws ``MailError`` (check ``MailError/isRetriable``).
    func send(_ message: MailMessage) async throws
}
