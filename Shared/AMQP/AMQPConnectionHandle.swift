import CRabbitMQ
import Logging

/// A rabbitmq-c connection with its one channel, as seen from its thread.
///
/// `@unchecked Sendable`: rabbitmq-c's connection state is not thread safe and
/// this class has no lock. It is safe because an instance is created by, and
/// only ever reached through, one ``AMQPConnection``, which hands it solely to
/// work items of a `NIOThreadPool` with exactly one thread: every access runs
/// on that thread, one after the other, and the pool's queue lock orders each
/// work item after the previous one. `deinit` runs once no work item holds it.
final class AMQPConnectionHandle: @unchecked Sendable {
    /// The channel every connection of this module uses.
    static let channel: amqp_channel_t = 1

    let configuration: AMQPConfiguration
    let logger: Logger
    /// The C connection, `nil` while closed.
    private(set) var state: amqp_connection_state_t?
    /// Counts the connections opened so far; a delivery remembers the one it came on.
    private(set) var generation: UInt64 = 0
    /// The confirm-mode sequence number of the last message published on this channel.
    var lastPublishTag: UInt64 = 0
    /// The tag of the running basic.consume, if any.
    var consumerTag: String?

    init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        if let state { amqp_destroy_connection(state) }
    }

    /// Whether a connection is open (as far as anyone has noticed).
    var isOpen: Bool { state != nil }

    /// Opens the connection and its channel unless they are open, in confirm mode if asked.
    ///
    /// - Returns: the connection's generation.
    @discardableResult
    func open(confirmMode: Bool) throws -> UInt64 {
        if state != nil { return generation }
        guard let newState = amqp_new_connection() else {
            throw AMQPError(.libraryError, "rabbitmq-c could not allocate a connection")
        }
        state = newState
        do {
            try connect(newState)
            amqp_channel_open(newState, Self.channel)
            try check(amqp_get_rpc_reply(newState), "channel.open")
            if confirmMode {
                amqp_confirm_select(newState, Self.channel)
                try check(amqp_get_rpc_reply(newState), "confirm.select")
            }
        } catch {
            drop()
            throw error
        }
        generation += 1
        lastPublishTag = 0
        consumerTag = nil
        logger.debug("AMQP connection open", metadata: ["amqp.broker": "\(configuration)"])
        return generation
    }

    /// Opens the TCP socket and logs in.
    private func connect(_ newState: amqp_connection_state_t) throws {
        guard let socket = amqp_tcp_socket_new(newState) else {
            throw AMQPError(.libraryError, "rabbitmq-c could not allocate a socket")
        }
        let configuration = self.configuration
        let status = AMQPScopedMemory.with { memory in
            clipset_amqp_socket_open(
                socket, memory.cString(configuration.host), Int32(configuration.port),
                configuration.connectTimeout.microseconds
            )
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(
                .connectionFailed, "cannot connect to \(configuration): \(Self.describe(status))", libraryStatus: status
            )
        }
        _ = clipset_amqp_set_handshake_timeout(newState, configuration.connectTimeout.microseconds)
        _ = clipset_amqp_set_rpc_timeout(newState, configuration.operationTimeout.microseconds)
        let reply = AMQPScopedMemory.with { memory in
            clipset_amqp_login_plain(
                newState, memory.cString(configuration.vhost), 0, 131_072, Int32(configuration.heartbeat),
                memory.cString(configuration.username), memory.cString(configuration.password)
            )
        }
        try check(reply, "login to \(configuration)", lost: .connectionFailed)
    }

    /// Closes the channel and the connection politely (the broker requeues unacknowledged deliveries).
    func close() {
        guard let state else { return }
        // A dead peer must not hold the close for the whole operation timeout.
        _ = clipset_amqp_set_rpc_timeout(state, 2_000_000)
        _ = amqp_channel_close(state, Self.channel, AMQP_REPLY_SUCCESS)
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        drop()
        logger.debug("AMQP connection closed", metadata: ["amqp.broker": "\(configuration)"])
    }

    /// Frees the connection at once, closing its socket without a word to the broker.
    func drop() {
        guard let state else { return }
        amqp_destroy_connection(state)
        self.state = nil
        consumerTag = nil
    }
}
