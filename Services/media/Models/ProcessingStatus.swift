/// Where a video is in the pipeline (API §4.2), as stored and serialised.
enum ProcessingStatus: String, Codable, Sendable, CaseIterable {
    case pending, processing, completed, failed
}
