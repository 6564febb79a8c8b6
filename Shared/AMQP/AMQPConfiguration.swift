/// Where and how to connect to a RabbitMQ broker, and how hard to try.
///
/// Build it from an `amqp://` URL with ``init(url:)`` (the `AMQP_URL` setting) or
/// member by member. The same configuration serves publishers and consumers;
/// each of them opens a connection of its own.
package struct AMQPConfiguration: Sendable, Hashable {
    /// The broker's host name or address.
    package var host: String
    /// The broker's AMQP port (5672 by default).
    package var port: Int
    /// The user to log in as (SASL PLAIN).
    package var username: String
    /// The user's password.
    package var password: String
    /// The virtual host, already percent-decoded (`/` by default).
    package var vhost: String
    /// The heartbeat interval, in seconds, proposed to the broker; 0 turns heartbeats off.
    package var heartbeat: Int
    /// How long opening the TCP connection and the AMQP handshake may take.
    package var connectTimeout: Duration
    /// How long a broker round trip (a declaration, a publisher confirm) may take
    /// before the connection is considered dead.
    package var operationTimeout: Duration
    /// How a lost connection is opened again.
    package var reconnect: AMQPReconnectPolicy

    /// Creates a configuration from its parts.
    package init(
        host: String = "127.0.0.1",
        port: Int = 5672,
        username: String = "guest",
        password: String = "guest",
        vhost: String = "/",
        heartbeat: Int = 30,
        connectTimeout: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(30),
        reconnect: AMQPReconnectPolicy = AMQPReconnectPolicy()
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.vhost = vhost
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.reconnect = reconnect
    }
}

extension AMQPConfiguration: CustomStringConvertible {
    /// The broker's address without the password, for logs.
    package var description: String {
        "amqp://\(username)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)"
    }
}

/// Exponential back-off with jitter for opening a lost connection again.
///
/// The n-th wait is `initialDelay * 2^(n-1)`, capped at `maxDelay`, of which a
/// random half is kept (so replicas that lost the broker together do not all
/// come back in the same millisecond). Trying stops after `maxAttempts`
/// attempts or once `maxDuration` has passed, whichever comes first; `nil`
/// means no limit of that kind.
package struct AMQPReconnectPolicy: Sendable, Hashable {
    /// The wait after the first failed attempt.
    package var initialDelay: Duration
    /// The longest wait between two attempts.
    package var maxDelay: Duration
    /// The most attempts to make, or `nil` for no limit.
    package var maxAttempts: Int?
    /// The longest time to keep trying, or `nil` for no limit.
    package var maxDuration: Duration?

    /// Creates a policy; the defaults wait 100 ms doubling to 5 s, for at most a minute.
    package init(
        initialDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(5),
        maxAttempts: Int? = nil,
        maxDuration: Duration? = .seconds(60)
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
        self.maxDuration = maxDuration
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failures and
    /// `elapsed` time; `nil` when the policy says to give up.
    package func delay(afterAttempt attempt: Int, elapsed: Duration) -> Duration? {
        if let maxAttempts, attempt >= maxAttempts { return nil }
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(initialDelay * (1 << exponent), maxDelay)
        let jittered = full / 2 + full / 2 * Double.random(in: 0...1)
        if let maxDuration, elapsed + jittered > maxDuration { return nil }
        return jittered
    }
}
