import Foundation

extension AMQPConfiguration {
    /// Parses `amqp://user:pass@host:port/vhost`, as in the `AMQP_URL` setting.
    ///
    /// The user, password and virtual host are percent-decoded (`%2F` is the
    /// default virtual host `/`); an empty path means `/` and a missing port
    /// 5672. The other settings keep their defaults.
    ///
    /// - Throws: ``AMQPError`` with code ``AMQPError/Code/invalidConfiguration``
    ///   for another scheme, a missing host or a malformed URL.
    package init(url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw AMQPError(.invalidConfiguration, "not a valid AMQP URL")
        }
        guard components.scheme?.lowercased() == "amqp" else {
            throw AMQPError(.invalidConfiguration, "the AMQP URL must start with amqp:// (amqps is not supported)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw AMQPError(.invalidConfiguration, "the AMQP URL has no host")
        }
        // URLComponents keeps percent-encoding in the path; the vhost is one segment.
        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        let vhost: String
        if path.isEmpty {
            vhost = "/"
        } else if let decoded = path.removingPercentEncoding {
            vhost = decoded
        } else {
            throw AMQPError(.invalidConfiguration, "the AMQP URL's virtual host is not valid percent-encoding")
        }
        self.init(
            host: host,
            port: components.port ?? 5672,
            username: components.user ?? "guest",
            password: components.password ?? "guest",
            vhost: vhost
        )
    }
}
