import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One ffmpeg run in the work folder, under `prlimit` when memory is limited, with its progress
/// read as it goes and the end of its error output kept.
struct FFmpegCommand: Sendable {
    /// How many of ffmpeg's last error lines are kept for ``TranscodeError/detail``.
    static let keptErrorLines = 12
    /// Longer error lines are cut to this many characters.
    static let maxErrorLineLength = 300

    /// How a run ended.
    struct Outcome: Sendable {
        /// ffmpeg exited with 0.
        var succeeded: Bool
        /// ffmpeg was killed by a signal.
        var signalled: Bool
        /// How ffmpeg ended, for logs: "exited(1)", "signaled(9)".
        var exitDescription: String
        /// ffmpeg's last error lines.
        var errorLines: [String]
        /// The output's duration from the last progress report, in seconds.
        var outTimeSeconds: Double
    }

    /// The ffmpeg executable's absolute path.
    let ffmpeg: String
    /// prlimit's absolute path, when the run has a memory limit.
    let prlimit: String?
    let memoryBytes: Int?
    let workFolder: URL
    let arguments: [String]

    /// The whole command line as run, prlimit's part first when memory is limited (for logs and
    /// for the benchmark, which runs the same command by hand).
    var commandLine: [String] {
        guard let memoryBytes, let prlimit else { return [ffmpeg] + arguments }
        return [prlimit, "--as=\(memoryBytes)", "--", ffmpeg] + arguments
    }

    /// Runs ffmpeg to the end, passing each new percentage of `expectedSeconds` to `progress`.
    ///
    /// swift-subprocess kills the child (SIGKILL) and reaps it when the calling task is cancelled.
    /// - Throws: `SubprocessError` if it cannot be started, `CancellationError` when cancelled.
    func run(expectedSeconds: Double, progress: @escaping @Sendable (Int) async -> Void) async throws -> Outcome {
        var executable = ffmpeg
        var arguments = self.arguments
        var environment = Environment.inherit
        if let memoryBytes, let prlimit {
            arguments = ["--as=\(memoryBytes)", "--", ffmpeg] + arguments
            executable = prlimit
            // glibc reserves 64 MiB of address space per malloc arena, up to eight per core; two
            // arenas keep an address-space limit about memory actually used.
            environment = environment.updating(["MALLOC_ARENA_MAX": "2"])
        }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: environment,
            workingDirectory: FilePath(workFolder.path), input: .none, output: .sequence, error: .sequence
        ) { execution in
            try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var lines: [String] = []
                    for try await line in execution.standardError.strings() where !line.isEmpty {
                        lines.append(String(line.prefix(Self.maxErrorLineLength)))
                        if lines.count > Self.keptErrorLines { lines.removeFirst() }
                    }
                    return lines
                }
                var tracker = FFmpegProgress(expectedSeconds: expectedSeconds)
                for try await line in execution.standardOutput.strings() {
                    if let percent = tracker.consume(line) { await progress(percent) }
                }
                let errorLines = try await group.next() ?? []
                return (errorLines, tracker.outTimeSeconds)
            }
        }
        let (errorLines, outTime) = result.closureResult
        let status = result.terminationStatus
        var signalled = false
        if case .signaled = status { signalled = true }
        return Outcome(
            succeeded: status.isSuccess, signalled: signalled, exitDescription: "\(status)", errorLines: errorLines,
            outTimeSeconds: outTime)
    }
}
