import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The processes of an earlier attempt that outlived their worker.
///
/// A worker killed with SIGKILL cannot stop its ffmpeg, which goes on writing into the
/// attempt's folder (its working directory). When the job is claimed again on the same
/// machine, those processes are found through `/proc/<pid>/cwd` and killed; on another machine
/// they end at their next write, as the new attempt removes their folder.
enum StrayProcesses {
    /// Sends SIGKILL to every process of this user whose working directory is inside one of
    /// `folders`; returns their pids. Blocking: call it on a thread pool.
    static func kill(workingIn folders: [String]) -> [Int32] {
        guard !folders.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let own = getpid()
        var killed: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != own,
                let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")
            else { continue }
            let inside = folders.contains { cwd == $0 || cwd.hasPrefix($0 + "/") || cwd == $0 + " (deleted)" }
            if inside, Glibc.kill(pid, SIGKILL) == 0 { killed.append(pid) }
        }
        return killed
    }
}
