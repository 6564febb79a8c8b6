import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

extension SquareWebPRenderer {
    /// The most error output kept from ffmpeg; `-loglevel error` prints a few lines per image.
    static let maxErrorOutput = 16 * 1024

    /// How a run of ffmpeg ended.
    private enum Outcome: Sendable {
        case exited(TerminationStatus, errorOutput: String)
        case timedOut
    }

    /// The executable to run: a bare name is looked up in `PATH`, anything with a slash is a path.
    private var executable: Executable {
        ffmpegPath.contains("/") ? .path(FilePath(ffmpegPath)) : .name(ffmpegPath)
    }

    /// Runs ffmpeg against the clock.
    ///
    /// swift-subprocess waits for the child without blocking a thread and kills it (SIGKILL)
    /// when its task is cancelled; the timeout cancels that task, and so does a cancelled caller.
    /// Either way the child has been reaped when this returns.
    func runFFmpeg(_ arguments: [String]) async throws {
        let executable = self.executable
        let timeout = self.timeout
        let outcome: Outcome
        do {
            outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    let result = try await Subprocess.run(
                        executable, arguments: Arguments(arguments),
                        output: .discarded, error: .string(limit: Self.maxErrorOutput))
                    return .exited(result.terminationStatus, errorOutput: result.standardError)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                }
                defer { group.cancelAll() }
                // Both tasks only end by returning or throwing, so the group cannot be empty here.
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
        } catch {
            try Task.checkCancellation()
            throw Self.imageProcessingError(for: error)
        }
        try Task.checkCancellation()
        switch outcome {
        case .timedOut:
            throw ImageProcessingError(.timedOut, "The image took longer than \(timeout) to process.")
        case .exited(let status, let errorOutput):
            guard status.isSuccess else { throw ImageProcessingError.invalidImage(ffmpegOutput: errorOutput) }
        }
    }

    /// The ``ImageProcessingError`` for a failure to run ffmpeg; other errors pass unchanged.
    private static func imageProcessingError(for error: any Error) -> any Error {
        guard let error = error as? SubprocessError else { return error }
        switch error.code {
        case .executableNotFound, .spawnFailed:
            return ImageProcessingError(.ffmpegUnavailable, "ffmpeg could not be started: \(error)")
        case .outputLimitExceeded:
            return ImageProcessingError.invalidImage(ffmpegOutput: "too many decoding errors")
        default:
            return error
        }
    }
}
