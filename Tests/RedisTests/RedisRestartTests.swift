import Redis
import TestSupport
import Testing

extension RedisServerTests {
    /// The client survives the server going away, without a process restart.
    @Suite(.serialized) struct RestartTests {
        @Test func theClientWorksAfterARedisRestart() async throws {
            try await withTestClient(poolSize: 4) { client in
                let prefix = uniquePrefix()
                let script = RedisScript(source: "return redis.call('INCR', KEYS[1])")
                // Fill the pool so that every idle connection is stale after the restart.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 { group.addTask { try await client.ping() } }
                    try await group.waitForAll()
                }
                _ = try await client.evaluate(script, keys: [prefix + "n"], arguments: [])

                try await InfrastructureControl.restart(.redis)

                try await client.ping()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<8 {
                        group.addTask { try await client.set(prefix + "after:\(index)", to: "ok") }
                    }
                    try await group.waitForAll()
                }
                #expect(try await client.getString(prefix + "after:7") == "ok")
                // The restart emptied the script cache: EVALSHA gets NOSCRIPT and reloads.
                #expect(try await client.evaluate(script, keys: [prefix + "m"], arguments: []) == .integer(1))
            }
        }

        @Test func callsFailRetriablyWhileRedisIsDownAndRecover() async throws {
            try await withTestClient(poolSize: 2) { client in
                try await client.ping()
                try await InfrastructureControl.stop(.redis)
                var failure: (any Error)?
                do {
                    try await client.ping()
                } catch {
                    failure = error
                }
                try await InfrastructureControl.start(.redis)

                let error = try #require(failure as? RedisError)
                #expect(error.isRetriable)
                try await client.ping()
            }
        }
    }
}
