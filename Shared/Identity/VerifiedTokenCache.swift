import Foundation
import Synchronization

/// Tokens whose signature already checked out, with the identity they speak for,
/// until they expire: a client sends the same token for its whole lifetime, and an
/// Ed25519 verification costs more than the rest of a cheap request at the edge.
///
/// Keyed by the whole token text, so a hit is the very bytes that were verified.
/// Bounded: when full, expired entries go first, then everything.
package final class VerifiedTokenCache: Sendable {
    /// What a hit gives back: the identity, the key that signed it, and when it stops counting.
    struct Entry: Sendable {
        let identity: Identity
        let keyID: String
        let expires: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    package init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The entry for `token` when it has not expired at `now`.
    func entry(for token: String, now: Date = Date()) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    /// Remembers a verified token.
    func insert(_ entry: Entry, for token: String, now: Date = Date()) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = entry
        }
    }

    /// How many tokens are remembered (expired ones included until they are looked up or evicted).
    package var count: Int { entries.withLock { $0.count } }
}
