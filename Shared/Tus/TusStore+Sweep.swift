import Foundation
import ServiceKit

extension TusStore {
    /// Removes every upload expired at `now`, and data files left without a record (a crash
    /// between the creation or removal of an upload's two files) once they are older than
    /// `orphanBefore`. An upload another request holds is skipped until the next sweep.
    ///
    /// Safe to run on every replica at once: each removal happens under the upload's lock.
    /// - Returns: the ids of the uploads removed.
    func sweep(now: Date, orphanBefore: Date) async throws -> [UUID] {
        let directory = directory
        let names = try await blocking { () -> [String] in
            guard FileManager.default.fileExists(atPath: directory) else { return [] }
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        }
        // `<id>` and `<id>.info`; a left-over `<id>.info.tmp` goes with its upload.
        let ids = Set(names.compactMap { name in
            UUID(uuidString: name.hasSuffix(".info") ? String(name.dropLast(5)) : name)
        })
        var removed: [UUID] = []
        for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) {
            do {
                if try await sweep(id, now: now, orphanBefore: orphanBefore) { removed.append(id) }
            } catch let error as APIError where error.status == TusError.lockedStatus {
                continue
            }
        }
        return removed
    }

    /// Removes `id` when it is expired or an old orphan; returns whether it did.
    private func sweep(_ id: UUID, now: Date, orphanBefore: Date) async throws -> Bool {
        if let upload = try await read(id) {
            guard upload.isExpired(at: now) else { return false }
            // A converted upload is only its record, which nobody writes any more.
            if upload.completion != nil {
                try await remove(id)
                return true
            }
        } else {
            let path = dataPath(id)
            let modified = try await blocking { () -> Date? in
                try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            }
            guard let modified, modified < orphanBefore else { return false }
        }
        let swept = try await withLock(id) { _ -> Bool in
            // Read again under the lock: a PATCH that just ended may have moved the expiry.
            if let upload = try await read(id), !upload.isExpired(at: now) { return false }
            try await remove(id)
            return true
        }
        guard let swept else {
            // No data file: a record whose bytes were handed over or lost.
            try await remove(id)
            return true
        }
        return swept
    }
}
