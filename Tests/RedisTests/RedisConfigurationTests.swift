import Redis
import Testing

/// Reading `redis://` URLs, without a server.
@Suite struct RedisConfigurationTests {
    @Test func hostPortAndDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:63900")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 63900)
        #expect(configuration.password == nil)
        #expect(configuration.database == 0)
        #expect(configuration.poolSize == 4)
        #expect(try RedisConfiguration(url: "redis://cache").port == 6379)
    }

    @Test func passwordDatabaseAndIPv6() throws {
        let configuration = try RedisConfiguration(url: "redis://:p%40ss%3Aword@[::1]:6380/3")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 6380)
        #expect(configuration.username == nil)
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == 3)
        let withUser = try RedisConfiguration(url: "redis://app:secret@redis:6379/0")
        #expect(withUser.username == "app")
        #expect(withUser.password == "secret")
    }

    @Test(arguments: [
        "http://localhost:6379", "redis://", "redis://host:0", "redis://host:port",
        "redis://host/db", "redis://host/-1", "redis://secret@host", "redis://[::1", "redis://:%zz@host",
    ])
    func invalidURLsAreRefused(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            (error as? RedisError)?.code == .invalidConfiguration
        }
    }

    @Test func poolSizeIsAtLeastOne() {
        #expect(RedisConfiguration(host: "h", poolSize: 0).poolSize == 1)
    }
}
