import AsyncHTTPClient
import Configuration
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// The keys published by auth, fetched from its JWKS URL and cached: fetched
/// again when they are older than `maxAge`, and at once (at most every
/// `minRefreshInterval`) when a token names a key id the cache lacks, so a
/// rotated-in key is picked up on its first token while a flood of forged key
/// ids cannot turn into a flood of fetches.
///
/// Configuration keys:
/// - `auth.jwks.url` (`AUTH_JWKS_URL`, default `http://127.0.0.1:8081/.well-known/jwks.json`).
/// - `auth.jwks.max.age` (`AUTH_JWKS_MAX_AGE`, seconds, default 300).
package final class RemoteJWKS: VerificationKeySource {
    private struct Cache {
        var keys: VerificationKeys?
        var fetchedAt: ContinuousClock.Instant?
        var inFlight: Task<VerificationKeys, any Error>?
    }

    let url: String
    let maxAge: Duration
    let minRefreshInterval: Duration
    let client: HTTPClient
    let logger: Logger
    private let cache = Mutex(Cache())

    package init(url: String, maxAge: Duration = .seconds(300), minRefreshInterval: Duration = .seconds(5), client: HTTPClient, logger: Logger) {
        self.url = url
        self.maxAge = maxAge
        self.minRefreshInterval = minRefreshInterval
        self.client = client
        self.logger = logger
    }

    package convenience init(reader: ConfigReader, client: HTTPClient, logger: Logger) {
        self.init(
            url: reader.string(forKey: "auth.jwks.url", default: "http://127.0.0.1:8081/.well-known/jwks.json"),
            maxAge: .seconds(reader.int(forKey: "auth.jwks.max.age", default: 300)),
            client: client, logger: logger
        )
    }

    package func keys(including kid: String) async throws(TokenRejection) -> VerificationKeys? {
        let now = ContinuousClock.now
        let (cached, fetchedAt) = cache.withLock { ($0.keys, $0.fetchedAt) }
        let age = fetchedAt.map { now - $0 }
        let fresh = age.map { $0 < maxAge } ?? false
        if let cached, fresh, cached.keyIDs.contains(kid) { return cached }
        // Unknown kid with a fresh cache: refetch only when the last fetch is old enough.
        if let cached, fresh, let age, age < minRefreshInterval { return cached.keyIDs.contains(kid) ? cached : nil }
        do {
            let keys = try await refresh()
            return keys.keyIDs.contains(kid) ? keys : nil
        } catch {
            // auth unreachable: keep verifying with what was fetched before.
            if let cached {
                logger.warning("JWKS refresh failed; using cached keys", metadata: ["error": "\(error)"])
                return cached.keyIDs.contains(kid) ? cached : nil
            }
            throw .keysUnavailable("\(error)")
        }
    }

    /// Fetches the keys once, however many callers ask at the same time.
    private func refresh() async throws -> VerificationKeys {
        let task = cache.withLock { cache in
            if let task = cache.inFlight { return task }
            let task = Task { try await self.fetch() }
            cache.inFlight = task
            return task
        }
        do {
            let keys = try await task.value
            cache.withLock { $0 = Cache(keys: keys, fetchedAt: .now, inFlight: nil) }
            return keys
        } catch {
            cache.withLock { $0.inFlight = nil; $0.fetchedAt = $0.keys == nil ? nil : .now }
            throw error
        }
    }

    private func fetch() async throws -> VerificationKeys {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw JWKSFetchError(status: Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 1 << 20)
        let document = try JSONDecoder().decode(JWKSDocument.self, from: Data(body.readableBytesView))
        let keys = try await VerificationKeys(document: document)
        logger.debug("fetched JWKS", metadata: ["jwks.keys": "\(keys.keyIDs.sorted())"])
        return keys
    }
}

/// auth answered the JWKS request with something other than 200.
struct JWKSFetchError: Error, CustomStringConvertible {
    let status: Int
    var description: String { "JWKS request answered \(status)" }
}
