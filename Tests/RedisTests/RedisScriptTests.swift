import Redis
import Testing

/// The script digest, without a server.
@Suite struct RedisScriptDigestTests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
        (String(repeating: "a", count: 1_000_000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
    ])
    func sha1MatchesKnownVectors(source: String, digest: String) {
        #expect(RedisScript(source: source).sha1 == digest)
    }
}

extension RedisServerTests {
    /// `EVALSHA` with the `NOSCRIPT` fallback.
    @Suite struct ScriptTests {
        static let incrementBy = RedisScript(source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")

        @Test func evaluateReloadsTheScriptAfterAFlush() async throws {
            try await withTestClient { client in
                let key = uniquePrefix() + "counter"
                _ = try await client.send(["SCRIPT", "FLUSH"])
                #expect(try await client.send(["SCRIPT", "EXISTS", Self.incrementBy.sha1]) == .array([.integer(0)]))

                #expect(try await client.evaluate(Self.incrementBy, keys: [key], arguments: ["5"]) == .integer(5))
                #expect(try await client.send(["SCRIPT", "EXISTS", Self.incrementBy.sha1]) == .array([.integer(1)]))
                #expect(try await client.evaluate(Self.incrementBy, keys: [key], arguments: ["2"]) == .integer(7))
                try await client.del(key)
            }
        }

        @Test(arguments: [55, 56, 63, 64, 119, 120, 1000])
        func digestMatchesTheServersAtBlockBoundaries(length: Int) async throws {
            try await withTestClient { client in
                let body = "return '" + String(repeating: "x", count: max(0, length - 10)) + "'"
                let script = RedisScript(source: body)
                let loaded = try await client.send(["SCRIPT", "LOAD", script.source])
                #expect(loaded.string == script.sha1)
            }
        }

        @Test func aLuaErrorIsAServerError() async throws {
            try await withTestClient { client in
                let failing = RedisScript(source: "return redis.error_reply('LIMITED too many calls')")
                let error = await #expect(throws: RedisError.self) {
                    try await client.evaluate(failing, keys: [], arguments: [])
                }
                #expect(error?.serverErrorPrefix == "LIMITED")
                #expect(error?.isRetriable == false)
            }
        }

        @Test func tablesComeBackAsArrays() async throws {
            try await withTestClient { client in
                let script = RedisScript(source: "return {1, 'two', {3}, false}")
                let reply = try await client.evaluate(script, keys: [], arguments: [])
                #expect(reply == .array([.integer(1), .bulk(Array("two".utf8)), .array([.integer(3)]), .null]))
            }
        }
    }
}
