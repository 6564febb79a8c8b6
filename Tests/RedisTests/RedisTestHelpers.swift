import Foundation
import Logging
import Redis
import TestSupport
import Testing

/// Every suite that talks to the test server: serialized, because one of them restarts Redis
/// and another flushes its script cache, which would disturb the rest running alongside.
@Suite(.serialized) enum RedisServerTests {}

/// Runs `body` with a client of the test server and shuts the client down afterwards.
func withTestClient<Result>(
    poolSize: Int = 4,
    _ body: (RedisClient) async throws -> Result
) async throws -> Result {
    let configuration = try RedisConfiguration(url: TestEnvironment.redisURL, poolSize: poolSize)
    let client = RedisClient(configuration: configuration, logger: Logger(label: "clipset.redis.tests"))
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// A key prefix no other test (or earlier run) uses.
func uniquePrefix(_ test: String = #function) -> String {
    "test:\(test.prefix(while: { $0 != "(" })):\(UUID().uuidString):"
}
