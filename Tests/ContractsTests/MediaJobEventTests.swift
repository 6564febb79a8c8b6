import Foundation
import Testing

@testable import Contracts

/// The wire format of the media job events that notify's live progress reads.
@Suite struct MediaJobEventTests {
    @Test func jobProgressIsSnakeCaseAndRoundTrips() throws {
        let progress = JobProgress(
            jobID: UUID(), kind: "transcode", videoID: UUID(), uploadedBy: UUID(), progress: 42, processingStatus: "processing")
        let body = try EventCoding.encoder().encode(EventEnvelope(producer: "media-worker", data: progress))
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        let data = try #require(json?["data"] as? [String: Any])
        #expect(Set(data.keys) == ["job_id", "kind", "video_id", "uploaded_by", "progress", "processing_status"])
        #expect(json?["type"] as? String == "media.job.progress")
        #expect(try IncomingEvent(body: body).decode(JobProgress.self).data == progress)
    }

    @Test func jobRequestedNamesTheJobAndItsVideo() throws {
        let requested = JobRequested(jobID: UUID(), kind: "hls_migration", videoID: UUID())
        let body = try EventCoding.encoder().encode(EventEnvelope(producer: "media", data: requested))
        let data = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["data"] as? [String: Any])
        #expect(data["job_id"] as? String == requested.jobID.uuidString || data["job_id"] as? String == requested.jobID.uuidString.lowercased())
        #expect(try IncomingEvent(body: body).decode(JobRequested.self).data == requested)
    }
}
