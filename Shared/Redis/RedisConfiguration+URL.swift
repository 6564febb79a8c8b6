extension RedisConfiguration {
    /// Reads a `redis://[[user]:password@]host[:port][/db]` URL.
    ///
    /// The user and password may be percent-encoded; an IPv6 host is written in brackets
    /// (`redis://[::1]:6379`). The port defaults to 6379 and the database to 0.
    /// - Throws: ``RedisError`` with code `.invalidConfiguration` naming what is wrong.
    package init(url: String, poolSize: Int = 4) throws {
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else { throw Self.invalid("the URL must start with redis://") }
        var rest = Substring(url.dropFirst(scheme.count))
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }

        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userinfo.firstIndex(of: ":") else {
                throw Self.invalid("the user information must be [user]:password")
            }
            let user = try Self.percentDecoded(userinfo[..<colon])
            username = user.isEmpty ? nil : user
            password = try Self.percentDecoded(userinfo[userinfo.index(after: colon)...])
        }

        let (host, port) = try Self.hostAndPort(rest)
        var database = 0
        if !path.isEmpty {
            guard let index = Int(path), index >= 0 else { throw Self.invalid("the database must be a number ≥ 0") }
            database = index
        }
        self.init(host: host, port: port, username: username, password: password, database: database, poolSize: poolSize)
    }

    /// Splits `host[:port]` or `[v6address][:port]`.
    private static func hostAndPort(_ authority: Substring) throws -> (String, Int) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw invalid("the host is missing") }
        guard let portText else { return (String(host), 6379) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw invalid("the port must be 1-65535") }
        return (String(host), port)
    }

    /// Decodes `%XX` escapes, so a password may contain `@`, `:` or `/`.
    private static func percentDecoded(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("a bad %-escape in the user information")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of one hex digit.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// An `.invalidConfiguration` error for a URL.
    private static func invalid(_ reason: String) -> RedisError {
        RedisError(code: .invalidConfiguration, message: "invalid Redis URL: \(reason)")
    }
}
