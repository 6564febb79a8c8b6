/// Where and how ``RedisClient`` connects.
package struct RedisConfiguration: Sendable, Hashable {
    /// The server's host name or IP address.
    package var host: String
    /// The server's TCP port.
    package var port: Int
    /// The ACL user for `AUTH`; `nil` authenticates as the default user.
    package var username: String?
    /// The password for `AUTH`; `nil` skips authentication.
    package var password: String?
    /// The logical database selected on every connection (`SELECT`).
    package var database: Int
    /// How many connections the client keeps at most; calls beyond it wait for a free one.
    package var poolSize: Int
    /// How long opening a connection may take.
    package var connectTimeout: Duration
    /// How long one command may wait for its reply before the connection is dropped.
    package var commandTimeout: Duration

    /// Creates a configuration; a pool size below one is raised to one.
    package init(
        host: String,
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        poolSize: Int = 4,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = max(1, poolSize)
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}
