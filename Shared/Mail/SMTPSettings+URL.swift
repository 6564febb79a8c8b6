import Foundation

extension SMTPSettings {
    /// Parses `SMTP_URL`: `smtp://[user[:password]@]host[:port][?starttls=required|try]` or
    /// `smtps://[user[:password]@]host[:port]`.
    ///
    /// `smtp://` defaults to port 25 and upgrades with STARTTLS when the server offers it;
    /// `?starttls=required` fails a send the server cannot upgrade. `smtps://` defaults to
    /// port 465 with TLS from the start. User and password are percent-decoded, so a password
    /// with `@` or `:` is written `%40`, `%3A`. Throws ``MailError/Kind/invalidSettings``.
    package init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw MailError(.invalidSettings, "not an SMTP URL (smtp://host:port): \(Self.redacted(url))")
        }
        var security: Security
        switch scheme {
        case "smtp": security = .startTLSIfOffered
        case "smtps": security = .implicitTLS
        default: throw MailError(.invalidSettings, "unsupported scheme \(scheme) (smtp or smtps)")
        }
        for item in components.queryItems ?? [] {
            switch (item.name, item.value, scheme) {
            case ("starttls", "required", "smtp"): security = .startTLSRequired
            case ("starttls", "try", "smtp"): security = .startTLSIfOffered
            default:
                throw MailError(.invalidSettings, "unsupported SMTP URL option \(item.name)=\(item.value ?? "")")
            }
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw MailError(.invalidSettings, "an SMTP URL has no path: \(Self.redacted(url))")
        }
        let port = components.port ?? (security == .implicitTLS ? 465 : 25)
        guard (1...65535).contains(port) else { throw MailError(.invalidSettings, "invalid port \(port)") }
        self.init(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port,
            security: security, username: components.user.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password)
    }

    /// `url` without its password, for error messages.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparsable URL)" }
        guard components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "(unparsable URL)"
    }
}
