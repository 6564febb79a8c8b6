import Synchronization

/// The most recently stored comment pages of this process, in front of Redis: a hit
/// costs neither a round trip nor a JSON decode. Keys carry the video's
/// `comments_version`, so an entry is never stale, only unused; the oldest entries go
/// first once ``capacity`` is reached, and large pages are not kept here at all.
final class LocalPageCache: Sendable {
    /// Entries kept at most.
    let capacity: Int
    /// Pages whose JSON is larger than this stay in Redis only.
    let maxEntryBytes: Int
    private let state = Mutex(Entries())

    private struct Entries {
        var values: [String: any Sendable] = [:]
        var order: [String] = []
        var start = 0
    }

    init(capacity: Int = 512, maxEntryBytes: Int = 256 * 1024) {
        self.capacity = max(1, capacity)
        self.maxEntryBytes = maxEntryBytes
    }

    func value<Value: Sendable>(_ key: String, as type: Value.Type) -> Value? {
        state.withLock { $0.values[key] as? Value }
    }

    /// Keeps `value` (its JSON being `bytes` long), evicting the oldest entry when full.
    func store(_ key: String, _ value: some Sendable, bytes: Int) {
        guard bytes <= maxEntryBytes else { return }
        state.withLock { entries in
            guard entries.values.updateValue(value, forKey: key) == nil else { return }
            entries.order.append(key)
            if entries.values.count > capacity {
                entries.values[entries.order[entries.start]] = nil
                entries.start += 1
                if entries.start > capacity {
                    entries.order.removeFirst(entries.start)
                    entries.start = 0
                }
            }
        }
    }
}
