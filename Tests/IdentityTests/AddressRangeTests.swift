import Testing

@testable import Identity

/// `TRUSTED_PROXIES` entries: exact addresses and networks, IPv4 and IPv6.
@Suite struct AddressRangeTests {
    @Test func networksContainTheirAddressesOnly() throws {
        let pods = try #require(AddressRange("10.244.0.0/16"))
        #expect(pods.contains("10.244.3.7"))
        #expect(pods.contains("10.244.255.255"))
        #expect(!pods.contains("10.245.0.1"))
        #expect(!pods.contains("::ffff:10.244.3.7"), "an IPv6 spelling is another family")
        let odd = try #require(AddressRange("192.168.1.128/25"))
        #expect(odd.contains("192.168.1.200") && !odd.contains("192.168.1.127"))
        let six = try #require(AddressRange("fd00:abcd::/32"))
        #expect(six.contains("fd00:abcd:1::5") && !six.contains("fd00:abce::5"))
        #expect(try #require(AddressRange("0.0.0.0/0")).contains("203.0.113.9"))
        #expect(try #require(AddressRange("127.0.0.1")).contains("127.0.0.1"))
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0/8", "fd00::/129", "gateway", "10.0.0.0/x", ""])
    func malformedEntriesAreNoRange(_ text: String) {
        #expect(AddressRange(text) == nil)
    }

    @Test func theResolverTrustsAddressesAndNetworks() {
        let resolver = ClientAddressResolver(trusted: ["127.0.0.1", "10.244.0.0/16", "fd00::/8"])
        #expect(resolver.isTrusted("127.0.0.1"))
        #expect(resolver.isTrusted("10.244.9.9"))
        #expect(resolver.isTrusted("fd12::1"))
        #expect(!resolver.isTrusted("10.245.0.1"))
        #expect(!resolver.isTrusted("203.0.113.9"))
    }
}
