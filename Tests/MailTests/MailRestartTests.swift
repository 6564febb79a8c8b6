import Mail
import TestSupport
import Testing

/// Stops and starts the test SMTP receiver, so scripts/test runs it alone, after the others.
@Suite(.serialized) struct MailRestartTests {
    @Test func sendFailsRetriablyWhileTheServerIsDownAndWorksOnceItIsBack() async throws {
        var settings = try SMTPSettings(url: TestEnvironment.smtpURL)
        settings.connectTimeout = .seconds(3)
        let sender = SMTPSender(settings: settings, logger: mailTestLogger)
        let message = try sampleMessage()

        try await InfrastructureControl.stop(.smtp)
        let error = await #expect(throws: MailError.self) { try await sender.send(message) }
        try await InfrastructureControl.start(.smtp)

        #expect(error?.kind == .connectionFailed)
        #expect(error?.isRetriable == true)
        try await sender.send(message)
        #expect(try receivedMessages(withID: message.messageID).count == 1)
    }
}
