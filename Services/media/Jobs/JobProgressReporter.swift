import AMQP
import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Passes a running job's progress on: to the video's row (at most once a second, for
/// `stream-info`) and as transient `media.job.progress` events (for live progress in the UI).
/// Neither is worth failing a job over: errors are logged.
actor JobProgressReporter {
    private let job: ClaimedJob
    private let uploadedBy: UUID
    private let postgres: PostgresClient
    private let publisher: AMQPPublisher
    private let producer: String
    private let logger: Logger
    private(set) var latest = 0
    private var written = 0
    private var lastWrite = ContinuousClock.now - .seconds(10)

    init(job: ClaimedJob, uploadedBy: UUID, postgres: PostgresClient, publisher: AMQPPublisher, producer: String, logger: Logger) {
        self.job = job
        self.uploadedBy = uploadedBy
        self.postgres = postgres
        self.publisher = publisher
        self.producer = producer
        self.logger = logger
    }

    /// Records `percent` (0-100); smaller values than the last are ignored.
    func report(_ percent: Int) async {
        let percent = min(100, max(0, percent))
        guard percent > latest else { return }
        latest = percent
        let now = ContinuousClock.now
        guard now - lastWrite >= .seconds(1) || percent == 100 else { return }
        lastWrite = now
        await write(percent)
    }

    private func write(_ percent: Int) async {
        guard percent != written else { return }
        written = percent
        do {
            try await postgres.query("""
                UPDATE media.videos SET processing_progress = \(percent)
                WHERE id = \(job.videoID) AND processing_status = 'processing'
                """, logger: logger)
            try await postgres.query("""
                UPDATE media.jobs SET progress = \(percent) WHERE id = \(job.id) AND lease_owner = \(job.owner)
                """, logger: logger)
        } catch {
            logger.debug("could not record progress", metadata: ["error": "\(error)"])
        }
        let event = JobProgress(
            jobID: job.id, kind: job.kind.rawValue, videoID: job.videoID, uploadedBy: uploadedBy, progress: percent,
            processingStatus: job.kind == .hlsMigration ? "completed" : "processing")
        do {
            let envelope = EventEnvelope(producer: producer, data: event)
            try await publisher.publish(AMQPOutgoingMessage(
                exchange: EventTopology.eventsExchange, routingKey: JobProgress.eventType,
                body: Array(try EventCoding.encoder().encode(envelope)), messageId: envelope.id.uuidString.lowercased(),
                persistent: false))
        } catch {
            logger.debug("could not publish progress", metadata: ["error": "\(error)"])
        }
    }
}
