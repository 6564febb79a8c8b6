#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address or network (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`), for
/// `TRUSTED_PROXIES`: on Kubernetes the proxies' pod addresses change, their network does not.
package struct AddressRange: Sendable, Hashable {
    /// The network's address bytes (4 or 16).
    let network: [UInt8]
    /// How many leading bits must match.
    let prefix: Int

    /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `addr/n`; nil for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.bytes(of: first) else { return nil }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given) else { return nil }
            prefix = given
        }
        self.network = Self.masked(bytes, prefix: prefix)
        self.prefix = prefix
    }

    /// Whether `address` (a literal IPv4 or IPv6 address) is inside the range.
    package func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefix: prefix) == network
    }

    /// The address's bytes, by `inet_pton` (a pure parse, no lookup).
    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = max(0, min(8, prefix - index * 8))
            return keep == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
    }
}
