extension Transcoder {
    /// Runs `body` against ``TranscodeLimits/wallTime``.
    ///
    /// The clock and the work race in a task group; the loser is cancelled, which kills ffmpeg, and
    /// the group waits for it, so ffmpeg has been reaped when this returns.
    func withWallTime(
        _ body: @escaping @Sendable () async throws -> TranscodeResult
    ) async throws(TranscodeError) -> TranscodeResult {
        /// Which task finished first.
        enum Race: Sendable {
            case finished(TranscodeResult)
            case timedOut
        }
        let limit = limits.wallTime
        do {
            let race = try await withThrowingTaskGroup(of: Race.self) { group in
                group.addTask { .finished(try await body()) }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return .timedOut
                }
                defer { group.cancelAll() }
                // Both tasks end by returning or throwing, so the group cannot be empty here.
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
            if Task.isCancelled { throw TranscodeError.cancelled }
            switch race {
            case .finished(let result): return result
            case .timedOut: throw TranscodeError.timedOut(after: limit)
            }
        } catch {
            if Task.isCancelled { throw .cancelled }
            if let error = error as? TranscodeError { throw error }
            throw .encoderFailed("unexpected error: \(error)")
        }
    }
}
