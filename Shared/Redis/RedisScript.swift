import Logging

/// A Lua script run by its SHA-1 digest (`EVALSHA`), so its source is sent only when the server lacks it.
package struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    package let source: String
    /// The lowercase hex SHA-1 of `source`, the name Redis gives the script.
    package let sha1: String

    /// Creates a script and computes its digest.
    package init(source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(of: Array(source.utf8))
    }
}

extension RedisClient {
    /// Runs `script` with `EVALSHA`; if the server does not know it (`NOSCRIPT`, e.g. after a
    /// restart or `SCRIPT FLUSH`), loads it with `SCRIPT LOAD` and runs it again once.
    ///
    /// - Throws: ``RedisError``; a Lua runtime error has code `.server`.
    package func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisValue {
        let command = ["EVALSHA", script.sha1, String(keys.count)] + keys + arguments
        do {
            return try await send(command)
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            logger.debug("Loading Redis script", metadata: ["redis.script.sha1": "\(script.sha1)"])
            let loaded = try await send(["SCRIPT", "LOAD", script.source])
            guard loaded.string == script.sha1 else { throw Self.unexpected(loaded, for: "SCRIPT LOAD") }
            return try await send(command)
        }
    }
}
