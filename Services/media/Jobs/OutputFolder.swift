import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Where a job writes and how its outputs are put in place (ARCHITECTURE §2 rule 4):
/// each attempt writes into its own `temp/jobs/<job>.<attempt>` folder, on the media root's
/// file system, which is renamed to `videos/<video>` when the job is done. A job run twice
/// thus leaves one set of outputs, and a killed attempt leaves only a temporary folder,
/// which the next attempt of the same job removes.
struct OutputFolder: Sendable {
    let root: MediaRoot
    let threadPool: NIOThreadPool

    /// The folder of every attempt's work.
    var jobsFolder: URL { root.url.appending(path: "temp/jobs", directoryHint: .isDirectory) }

    /// An empty folder for `job`'s attempt; earlier attempts' folders of the same job are removed,
    /// and the processes still working in them on this machine are killed (their pids returned).
    func prepare(for job: ClaimedJob) async throws -> (folder: URL, killed: [Int32]) {
        let folder = jobsFolder.appending(path: "\(job.id.uuidString.lowercased()).\(job.attempt)", directoryHint: .isDirectory)
        let prefix = "\(job.id.uuidString.lowercased())."
        let jobs = jobsFolder
        return try await threadPool.runIfActive {
            let manager = FileManager.default
            try manager.createDirectory(at: jobs, withIntermediateDirectories: true)
            let earlier = try manager.contentsOfDirectory(atPath: jobs.path).filter { $0.hasPrefix(prefix) }
            let killed = StrayProcesses.kill(workingIn: earlier.map { jobs.appending(path: $0).path })
            for name in earlier {
                try manager.removeItem(at: jobs.appending(path: name))
            }
            try manager.createDirectory(at: folder, withIntermediateDirectories: false)
            return (folder, killed)
        }
    }

    /// Moves `work` to `videos/<videoID>`, replacing what was there (the previous outputs, from an
    /// earlier run or before a migration), with two renames on one file system.
    func publish(_ work: URL, videoID: UUID) async throws {
        let destination = root.url.appending(path: "videos/\(videoID.uuidString.lowercased())", directoryHint: .isDirectory)
        let replaced = work.appendingPathExtension("replaced")
        try await threadPool.runIfActive {
            let manager = FileManager.default
            if manager.fileExists(atPath: destination.path) {
                try Self.move(destination, to: replaced)
            }
            try Self.move(work, to: destination)
            if manager.fileExists(atPath: replaced.path) { try? manager.removeItem(at: replaced) }
        }
    }

    /// Removes an attempt's folder that will not be published.
    func discard(_ work: URL) async {
        _ = try? await threadPool.runIfActive {
            if FileManager.default.fileExists(atPath: work.path) { try FileManager.default.removeItem(at: work) }
        }
    }

    /// Removes the attempts' folders that no running attempt owns any more (a killed worker's, or a
    /// deleted video's) once they are older than `age`; returns how many went.
    func sweepAbandoned(olderThan age: Duration, isRunning: @Sendable (UUID, Int) async throws -> Bool) async throws -> Int {
        let jobs = jobsFolder
        let cutoff = Date.now.addingTimeInterval(-age.seconds)
        let candidates = try await threadPool.runIfActive { () -> [(name: String, job: UUID, attempt: Int)] in
            let manager = FileManager.default
            guard let names = try? manager.contentsOfDirectory(atPath: jobs.path) else { return [] }
            return names.compactMap { name in
                let parts = name.split(separator: ".")
                guard parts.count >= 2, let job = UUID(uuidString: String(parts[0])), let attempt = Int(parts[1]),
                    let modified = try? manager.attributesOfItem(atPath: jobs.appending(path: name).path)[.modificationDate] as? Date,
                    modified < cutoff
                else { return nil }
                return (name, job, attempt)
            }
        }
        var removed = 0
        for candidate in candidates where try await !isRunning(candidate.job, candidate.attempt) {
            await discard(jobs.appending(path: candidate.name))
            removed += 1
        }
        return removed
    }

    /// The file at `relative` below the media root, removed if present (a processed upload).
    func removeOriginal(_ relative: String) async {
        let path = root.path(relative)
        _ = try? await threadPool.runIfActive {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }

    private static func move(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: to.path, "errno": errno])
        }
    }
}
