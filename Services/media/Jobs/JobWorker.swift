import AMQP
import Logging
import ServiceLifecycle

/// A media worker's consumer of `media.jobs` as a `Service`: runs up to `concurrency` jobs at
/// once, each through ``JobRunner``, and sweeps for jobs nobody is working on.
///
/// The prefetch equals the concurrency, and a message is acknowledged as soon as its job is
/// claimed, so at most `concurrency` more messages wait here while jobs run. On graceful
/// shutdown the consumer stops taking messages (those waiting go back to the queue when its
/// connection closes) and the running jobs finish or are handed back after the grace period.
struct JobWorker: Service {
    let consumer: AMQPConsumer
    let runner: JobRunner
    let sweeper: JobSweeper
    let settings: WorkerSettings
    let logger: Logger

    func run() async throws {
        let slots = JobSlots(count: settings.concurrency)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await consumer.run() }
            group.addTask { try await sweeper.periodically(every: settings.sweepInterval).run() }
            for await delivery in consumer.deliveries {
                await slots.acquire()
                // A message that waited for a slot past the start of a shutdown goes back to the
                // queue with the consumer's connection; claiming it now would only hand it back.
                if Task.isShuttingDownGracefully {
                    await slots.release()
                    continue
                }
                group.addTask {
                    await runner.handle(delivery)
                    await slots.release()
                }
            }
        }
    }
}

/// Counts the jobs a worker runs at once.
actor JobSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    /// Waits for a free slot and takes it.
    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Frees a slot, handing it to the longest waiter.
    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
