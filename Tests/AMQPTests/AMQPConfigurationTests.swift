import AMQP
import Testing

/// Parsing `AMQP_URL`, the back-off policy and error classification; no broker needed.
@Suite("AMQP configuration and errors")
struct AMQPConfigurationTests {
    @Test("A full URL gives every part, with the vhost percent-decoded")
    func fullURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://clip%40set:p%3Ass@rabbit.internal:5673/clip%2Fset")
        #expect(configuration.host == "rabbit.internal")
        #expect(configuration.port == 5673)
        #expect(configuration.username == "clip@set")
        #expect(configuration.password == "p:ss")
        #expect(configuration.vhost == "clip/set")
        #expect(configuration.heartbeat == 30)
    }

    @Test("%2F is the default vhost, an empty path too, and the port defaults to 5672")
    func defaults() throws {
        #expect(try AMQPConfiguration(url: "amqp://guest:guest@127.0.0.1:56800/%2F").vhost == "/")
        let bare = try AMQPConfiguration(url: "amqp://guest:guest@localhost")
        #expect(bare.vhost == "/")
        #expect(bare.port == 5672)
        #expect(try AMQPConfiguration(url: "amqp://u:p@localhost/").vhost == "/")
        #expect(try AMQPConfiguration(url: "amqp://u:p@localhost/clipset").vhost == "clipset")
    }

    @Test("Other schemes and URLs without a host are refused", arguments: ["http://h/", "amqps://h/", "amqp:///x", ""])
    func invalid(url: String) {
        #expect {
            try AMQPConfiguration(url: url)
        } throws: { error in
            (error as? AMQPError)?.code == .invalidConfiguration
        }
    }

    @Test("The description of a configuration does not show the password")
    func descriptionHidesPassword() throws {
        let configuration = try AMQPConfiguration(url: "amqp://user:secret@h:1/%2F")
        #expect(!configuration.description.contains("secret"))
    }

    @Test("Back-off doubles up to the cap, with jitter, and stops at the limits")
    func backoff() {
        let policy = AMQPReconnectPolicy(
            initialDelay: .milliseconds(100), maxDelay: .seconds(5), maxAttempts: 10, maxDuration: .seconds(60)
        )
        for attempt in 1...9 {
            let full = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(5))
            let delay = policy.delay(afterAttempt: attempt, elapsed: .zero)
            #expect(delay.map { $0 >= full / 2 && $0 <= full } == true, "attempt \(attempt): \(String(describing: delay))")
        }
        #expect(policy.delay(afterAttempt: 10, elapsed: .zero) == nil)
        #expect(policy.delay(afterAttempt: 3, elapsed: .seconds(60)) == nil)
    }

    @Test("Connection losses are retriable, refusals are not")
    func retriable() {
        #expect(AMQPError(.connectionLost, "x").isRetriable)
        #expect(AMQPError(.connectionFailed, "x").isRetriable)
        #expect(AMQPError(.nacked, "x").isRetriable)
        #expect(AMQPError(.deliveryExpired, "x").isRetriable)
        #expect(!AMQPError(.accessRefused, "x", replyCode: 403).isRetriable)
        #expect(!AMQPError(.preconditionFailed, "x", replyCode: 406).isRetriable)
        #expect(!AMQPError(.notFound, "x", replyCode: 404).isRetriable)
        #expect(AMQPError(.notFound, "no queue", replyCode: 404).description == "AMQPError.notFound (404): no queue")
    }

    @Test("Quorum queue arguments")
    func quorumArguments() {
        let queue = AMQPQueue.quorum(
            "q", deadLetterExchange: "dlx", deadLetterRoutingKey: "dead", deliveryLimit: 5,
            arguments: ["x-max-length": 1000]
        )
        #expect(queue.durable)
        #expect(queue.arguments["x-queue-type"] == "quorum")
        #expect(queue.arguments["x-dead-letter-exchange"] == "dlx")
        #expect(queue.arguments["x-dead-letter-routing-key"] == "dead")
        #expect(queue.arguments["x-delivery-limit"] == .int(5))
        #expect(queue.arguments["x-max-length"] == .int(1000))
    }
}
