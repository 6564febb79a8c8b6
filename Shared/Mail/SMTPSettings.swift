/// Where and how ``SMTPSender`` delivers: server, TLS mode, credentials and timeouts.
///
/// Usually parsed from `SMTP_URL` with ``init(url:)``. The ``description`` never shows the
/// password, so the settings may be logged.
package struct SMTPSettings: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected.
    package enum Security: String, Sendable, Hashable {
        /// Plain SMTP, upgraded with STARTTLS when the server offers it (`smtp://`).
        case startTLSIfOffered = "try"
        /// Plain SMTP that must be upgraded with STARTTLS, or the send fails (`?starttls=required`).
        case startTLSRequired = "required"
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicitTLS = "implicit"
    }

    /// The server's host name or IP address.
    package var host: String
    /// The server's port.
    package var port: Int
    /// How the connection is protected.
    package var security: Security
    /// The login for AUTH (PLAIN or LOGIN, whichever the server offers); none when `nil`.
    package var username: String?
    /// The password for AUTH.
    package var password: String?
    /// How long connecting may take: for libcurl that is TCP, TLS, the greeting, STARTTLS and
    /// AUTH, so a server that stalls the login is caught by this one too.
    package var connectTimeout: Duration
    /// How long a whole send may take.
    package var timeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's, e.g. for a
    /// relay with a private CA; `nil` uses the system's.
    package var caFile: String?

    /// Creates settings from their parts.
    package init(
        host: String, port: Int, security: Security = .startTLSIfOffered, username: String? = nil,
        password: String? = nil, connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60),
        caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.caFile = caFile
    }

    /// The URL libcurl connects to (credentials are passed separately).
    var curlURL: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)"
    }

    package var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let login = username.map { "\($0)\(password == nil ? "" : ":***")@" } ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(login)\(bracketed):\(port)" + (security == .startTLSRequired ? "?starttls=required" : "")
    }
}
