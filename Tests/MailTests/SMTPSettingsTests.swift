import Mail
import Testing

@Suite struct SMTPSettingsTests {
    @Test func plainURLTriesSTARTTLSOnPort25() throws {
        let settings = try SMTPSettings(url: "smtp://mail.example.org")
        #expect(settings.host == "mail.example.org")
        #expect(settings.port == 25)
        #expect(settings.security == .startTLSIfOffered)
        #expect(settings.username == nil && settings.password == nil)
    }

    @Test func credentialsArePercentDecodedAndSTARTTLSCanBeRequired() throws {
        let settings = try SMTPSettings(url: "smtp://me%40example.org:p%40ss%3Aw0rd@127.0.0.1:2525?starttls=required")
        #expect(settings.username == "me@example.org")
        #expect(settings.password == "p@ss:w0rd")
        #expect(settings.port == 2525)
        #expect(settings.security == .startTLSRequired)
    }

    @Test func smtpsUsesImplicitTLSOnPort465() throws {
        let settings = try SMTPSettings(url: "smtps://relay.example.org")
        #expect(settings.port == 465)
        #expect(settings.security == .implicitTLS)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let settings = try SMTPSettings(url: "smtp://user:s3cret-value@mail.example.org:587?starttls=required")
        #expect(!settings.description.contains("s3cret-value"))
        #expect(settings.description == "smtp://user:***@mail.example.org:587?starttls=required")
        #expect(!"\(settings)".contains("s3cret-value"))
    }

    @Test(arguments: [
        "http://mail.example.org", "smtp://", "mail.example.org", "smtp://host?starttls=maybe",
        "smtps://host?starttls=required", "smtp://host/path", "smtp://host:0",
    ])
    func invalidURLsAreRefused(url: String) throws {
        let error = #expect(throws: MailError.self) { try SMTPSettings(url: url) }
        #expect(error?.kind == .invalidSettings)
    }

    @Test func errorsDoNotShowThePassword() throws {
        let error = #expect(throws: MailError.self) { try SMTPSettings(url: "smtp://u:hunter2@host/path") }
        #expect(error.map { !"\($0)".contains("hunter2") } == true)
    }
}
