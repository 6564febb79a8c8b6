import Logging
import Redis
import TestSupport
import Testing

extension RedisServerTests {
    /// Commands and replies against the real server.
    @Suite struct ClientTests {
        @Test func binaryValuesWithNULBytesAndSpacesRoundTrip() async throws {
            try await withTestClient { client in
                let key = uniquePrefix() + "key with spaces\0and a NUL"
                let value: [UInt8] = [0, 1, 2, 0x20, 0, 0xFF, 0x0D, 0x0A] + Array("two words".utf8) + [0]
                try await client.set(key, to: value)
                #expect(try await client.get(key) == value)
                // The same key written as bytes is the same key: the NUL did not cut it short.
                #expect(try await client.send([Array("STRLEN".utf8), Array(key.utf8)]) == .integer(value.count))
                try await client.set(key, to: [])
                #expect(try await client.get(key) == [])
                #expect(try await client.del(key) == 1)
            }
        }

        @Test func integersNullAndArrays() async throws {
            try await withTestClient { client in
                let prefix = uniquePrefix()
                #expect(try await client.incr(prefix + "counter") == 1)
                #expect(try await client.incr(prefix + "counter") == 2)
                #expect(try await client.getString(prefix + "counter") == "2")
                #expect(try await client.get(prefix + "missing") == nil)
                #expect(try await client.send(["GET", prefix + "missing"]) == .null)

                #expect(try await client.send(["RPUSH", prefix + "list", "a", "b c", ""]) == .integer(3))
                let range = try await client.send(["LRANGE", prefix + "list", "0", "-1"])
                #expect(range.array?.compactMap(\.string) == ["a", "b c", ""])
                let values = try await client.send(["MGET", prefix + "counter", prefix + "missing"])
                #expect(values == .array([.bulk(Array("2".utf8)), .null]))
                #expect(values.array?.first?.int == 2)
                #expect(try await client.del(prefix + "counter", prefix + "list", prefix + "missing") == 2)
            }
        }

        @Test func expirationAndPing() async throws {
            try await withTestClient { client in
                let key = uniquePrefix() + "ttl"
                try await client.ping()
                try await client.set(key, to: "soon gone", expiration: .seconds(30))
                let ttl = try await client.send(["PTTL", key]).int ?? -1
                #expect((1...30_000).contains(ttl))
                #expect(try await client.expire(key, after: .milliseconds(50)))
                try await Task.sleep(for: .milliseconds(150))
                #expect(try await client.get(key) == nil)
                #expect(try await client.expire(key, after: .seconds(1)) == false)
            }
        }

        @Test func aServerErrorIsThrownAndNotRetriable() async throws {
            try await withTestClient(poolSize: 1) { client in
                let key = uniquePrefix() + "list"
                _ = try await client.send(["LPUSH", key, "x"])
                let error = await #expect(throws: RedisError.self) { try await client.get(key) }
                #expect(error?.code == .server)
                #expect(error?.serverErrorPrefix == "WRONGTYPE")
                #expect(error?.isRetriable == false)
                // The error reply left the only connection usable.
                #expect(try await client.send(["LLEN", key]) == .integer(1))
                await #expect(throws: RedisError.self) { try await client.send(["NO-SUCH-COMMAND"]) }
                try await client.del(key)
            }
        }

        @Test func fiftyConcurrentCallersShareFourConnections() async throws {
            try await withTestClient(poolSize: 4) { client in
                let prefix = uniquePrefix()
                let connectionIDs = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<50 {
                        group.addTask {
                            _ = try await client.incr(prefix + "counter")
                            try await client.set(prefix + "own:\(index)", to: "value \(index)")
                            #expect(try await client.getString(prefix + "own:\(index)") == "value \(index)")
                            return try await client.send(["CLIENT", "ID"]).int ?? -1
                        }
                    }
                    var ids: Set<Int> = []
                    for try await id in group { ids.insert(id) }
                    return ids
                }
                #expect(try await client.getString(prefix + "counter") == "50")
                #expect(!connectionIDs.contains(-1))
                #expect(connectionIDs.count <= 4, "one server connection per pool slot at most")
            }
        }

        @Test func aRefusedConnectionIsRetriable() async throws {
            let client = RedisClient(
                configuration: RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeout: .seconds(1)),
                logger: .init(label: "clipset.redis.tests")
            )
            let error = await #expect(throws: RedisError.self) { try await client.ping() }
            #expect(error?.code == .connectionFailed)
            #expect(error?.isRetriable == true)
            await client.shutdown()
        }

        @Test func callsAfterShutdownFail() async throws {
            let client = try RedisClient(
                configuration: RedisConfiguration(url: TestEnvironment.redisURL), logger: .init(label: "clipset.redis.tests")
            )
            try await client.ping()
            await client.shutdown()
            await client.shutdown()
            let error = await #expect(throws: RedisError.self) { try await client.ping() }
            #expect(error?.code == .shutdown)
        }
    }
}
