import Foundation

/// Runs a command to completion for a test, off the cooperative thread pool.
package enum ChildProcess {
    /// Runs `executable` with `arguments`, standard input from /dev/null, standard
    /// output discarded and standard error to `standardErrorPath` (or the test's own);
    /// returns its exit status.
    package static func run(_ executable: String, _ arguments: [String], standardErrorPath: String? = nil) async throws -> Int32 {
        // Process.waitUntilExit blocks: run it on a thread of its own, never the cooperative pool.
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    process.standardInput = FileHandle.nullDevice
                    process.standardOutput = FileHandle.nullDevice
                    if let standardErrorPath {
                        _ = FileManager.default.createFile(atPath: standardErrorPath, contents: nil)
                        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: standardErrorPath))
                    }
                    try process.run()
                    process.waitUntilExit()
                    continuation.resume(returning: process.terminationStatus)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
