import Logging

extension AMQPConsumer {
    /// Connects, polls, reconnects after losses, and winds down when asked.
    func consumeUntilStopped() async throws {
        defer { continuation.finish() }
        do {
            while !channel.stopRequested, !Task.isCancelled {
                try await connect()
                try await pollUntilLost()
            }
        } catch is CancellationError {
            // Cancelled while waiting to reconnect: stop without a grace period.
        } catch let error as AMQPError where channel.stopRequested {
            logger.debug("AMQP consumer stopped while reconnecting", metadata: ["amqp.error": "\(error)"])
        } catch {
            await windDown(graceful: false)
            throw error
        }
        await windDown(graceful: !Task.isCancelled)
    }

    /// Opens the connection, declares the topology and starts consuming, retrying with back-off.
    private func connect() async throws {
        let (connection, topology, queue, prefetch) = (channel.connection, topology, channel.queue, prefetch)
        let channel = self.channel
        let generation = try await AMQPReconnector(policy: configuration.reconnect, logger: logger).run(
            shouldStop: { channel.stopRequested }
        ) {
            try await connection.perform { handle in
                let generation = try handle.open(confirmMode: false)
                try handle.declare(topology)
                try handle.startConsuming(queue: queue, prefetch: prefetch)
                return generation
            }
        }
        channel.connected(generation: generation)
        logger.debug("AMQP consumer started", metadata: ["amqp.prefetch": "\(prefetch)"])
    }

    /// Hands out deliveries until the connection is lost or a stop is requested.
    private func pollUntilLost() async throws {
        let (wakeup, pollInterval) = (channel.wakeup, pollInterval)
        while !channel.stopRequested, !Task.isCancelled {
            let result = try await channel.connection.perform { $0.poll(wakeup: wakeup, timeout: pollInterval) }
            switch result {
            case .message(let message):
                channel.track(message)
                if case .terminated = continuation.yield(AMQPDelivery(message, channel: channel)) {
                    logger.debug("AMQP deliveries no longer iterated, stopping")
                    channel.requestStop()
                }
            case .idle:
                continue
            case .lost(let error):
                // Even a refusal here (a consumer timeout closes the channel with 406)
                // calls for a new connection; errors that persist surface in `connect()`.
                channel.disconnected()
                logger.warning("AMQP consumer connection lost", metadata: ["amqp.error": "\(error)"])
                return
            }
        }
    }

    /// Stops consuming, waits for deliveries in flight (if graceful), then closes.
    private func windDown(graceful: Bool) async {
        if graceful {
            _ = try? await channel.connection.perform { $0.stopConsuming() }
            let deadline = ContinuousClock.now + gracePeriod
            while channel.unsettledCount > 0, ContinuousClock.now < deadline, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            let left = channel.unsettledCount
            if left > 0 {
                logger.debug("AMQP consumer closing with unsettled deliveries", metadata: ["amqp.unsettled": "\(left)"])
            }
        }
        channel.disconnected()
        await channel.connection.shutdown()
        logger.debug("AMQP consumer stopped")
    }
}
