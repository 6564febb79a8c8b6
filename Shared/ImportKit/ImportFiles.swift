import Foundation
import NIOPosix

/// Copies source files into the media root: to a temporary name beside the target,
/// then renamed, so an interrupted import never leaves half a file under the final
/// name, and a file already there (an earlier import) is left alone.
package enum ImportFiles {
    /// Copies `source` to `target` unless `target` exists; returns whether it copied.
    @discardableResult
    package static func copy(_ source: URL, to target: URL) throws -> Bool {
        let files = FileManager.default
        if files.fileExists(atPath: target.path) { return false }
        try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".import-\(UUID().uuidString.lowercased())-\(target.lastPathComponent)")
        try? files.removeItem(at: partial)
        try files.copyItem(at: source, to: partial)
        do {
            try files.moveItem(at: partial, to: target)
        } catch {
            try? files.removeItem(at: partial)
            if files.fileExists(atPath: target.path) { return false }
            throw error
        }
        return true
    }

    /// Copies each (source, target) pair as ``copy(_:to:)`` does, on the NIO thread pool.
    package static func copyAll(_ pairs: [(URL, URL)]) async throws {
        guard !pairs.isEmpty else { return }
        try await NIOThreadPool.singleton.runIfActive {
            for (source, target) in pairs { try copy(source, to: target) }
        }
    }

    /// The total size of a file or of a folder's files.
    package static func size(of url: URL) -> Int64 {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: url.path, isDirectory: &isFolder) else { return 0 }
        guard isFolder.boolValue else {
            return (try? files.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        var total: Int64 = 0
        for case let file as URL in files.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) ?? .init() {
            total += Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        return total
    }
}
