import Foundation
import Mail
import TestSupport
import Testing

/// Sends through the test command's real SMTP receiver (aiosmtpd) and reads what it saved.
/// Each test finds its own messages by their unique Message-ID, so the tests run in parallel.
@Suite struct SMTPSenderTests {
    private func sender(_ url: String = TestEnvironment.smtpURL, caFile: String? = nil) throws -> SMTPSender {
        var settings = try SMTPSettings(url: url)
        settings.caFile = caFile
        settings.connectTimeout = .seconds(3)
        settings.timeout = .seconds(10)
        return SMTPSender(settings: settings, logger: mailTestLogger)
    }

    @Test func messageArrivesOnceWithBothParts() async throws {
        let message = try sampleMessage()
        try await sender().send(message)

        let received = try receivedMessages(withID: message.messageID)
        try #require(received.count == 1)
        let mail = ParsedMail(received[0])
        #expect(mail.header("From") == "Clipset <no-reply@clipset.example>")
        #expect(mail.header("To") == "viewer@example.org")
        #expect(mail.subject == message.subject)
        #expect(mail.parts().map(\.text) == [message.text, message.html! + "\n"])
    }

    @Test func messageToTwoRecipientsArrivesOnce() async throws {
        let message = try sampleMessage(to: ["one@example.org", "two@example.net"])
        try await sender().send(message)

        let received = try receivedMessages(withID: message.messageID)
        try #require(received.count == 1)
        #expect(ParsedMail(received[0]).header("To") == "one@example.org, two@example.net")
    }

    @Test func loginWithTheRightPasswordOverSTARTTLSDelivers() async throws {
        let message = try sampleMessage(html: nil)
        try await sender(TestEnvironment.smtpAuthURL, caFile: TestEnvironment.smtpCAFile).send(message)

        #expect(try receivedMessages(withID: message.messageID).count == 1)
    }

    @Test func wrongPasswordIsAnAuthenticationFailure() async throws {
        var components = try #require(URLComponents(string: TestEnvironment.smtpAuthURL))
        components.password = "wrong-password"
        let message = try sampleMessage()
        let error = await #expect(throws: MailError.self) {
            try await sender(components.string!, caFile: TestEnvironment.smtpCAFile).send(message)
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.isRetriable == false)
        #expect(try receivedMessages(withID: message.messageID).isEmpty)
    }

    @Test func untrustedCertificateIsATLSFailure() async throws {
        let error = await #expect(throws: MailError.self) {
            try await sender(TestEnvironment.smtpAuthURL).send(try sampleMessage())
        }
        #expect(error?.kind == .tlsFailed)
    }

    @Test func requiredSTARTTLSFailsWhenTheServerDoesNotOfferIt() async throws {
        let error = await #expect(throws: MailError.self) {
            try await sender(TestEnvironment.smtpURL + "?starttls=required").send(try sampleMessage())
        }
        #expect(error?.kind == .tlsFailed)
    }

    @Test func closedPortIsARetriableConnectionFailure() async throws {
        let error = await #expect(throws: MailError.self) {
            try await sender("smtp://127.0.0.1:1").send(try sampleMessage())
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.isRetriable == true)
    }

    @Test func refusedRecipientIsPermanent() async throws {
        let message = try sampleMessage(to: ["ok@example.org", "nobody@reject.invalid"])
        let error = await #expect(throws: MailError.self) { try await sender().send(message) }
        #expect(error?.kind == .recipientRejected)
        #expect(error?.responseCode == 550)
        #expect(error?.isRetriable == false)
        #expect(try receivedMessages(withID: message.messageID).isEmpty)
    }

    @Test func deferredRecipientIsRetriable() async throws {
        let error = await #expect(throws: MailError.self) {
            try await sender().send(try sampleMessage(to: ["later@defer.invalid"]))
        }
        #expect(error?.kind == .recipientRejected)
        #expect(error?.isRetriable == true)
    }
}
