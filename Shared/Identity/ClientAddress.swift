import Foundation
import Configuration
import Hummingbird
import HTTPTypes
import NIOCore

/// The address a request comes from, for throttling: the connection's peer,
/// or, when that peer is a trusted proxy (the gateway, nginx), the nearest
/// untrusted address of `X-Forwarded-For` read from the right.
///
/// Configuration keys:
/// - `trusted.proxies` (`TRUSTED_PROXIES`, default `127.0.0.1,::1`): comma-separated addresses
///   or networks (`10.0.0.0/8`, `fd00::/8`: proxies whose addresses change, such as pods).
package struct ClientAddressResolver: Sendable {
    let trusted: Set<String>
    let networks: [AddressRange]

    /// `trusted` holds addresses and networks; an entry that is neither only matches itself.
    package init(trusted: Set<String>) {
        self.trusted = trusted
        self.networks = trusted.filter { $0.contains("/") }.compactMap(AddressRange.init)
    }

    package init(reader: ConfigReader) {
        let list = reader.string(forKey: "trusted.proxies", default: "127.0.0.1,::1")
        self.init(trusted: Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
    }

    /// Whether `address` is a proxy whose `X-Forwarded-*` headers are believed.
    package func isTrusted(_ address: String) -> Bool {
        trusted.contains(address) || networks.contains { $0.contains(address) }
    }

    /// The client's address for `request` arriving from `peer`.
    package func address(of request: Request, peer: SocketAddress?) -> String {
        let peerIP = peer?.ipAddress ?? "unknown"
        guard isTrusted(peerIP), let forwarded = request.headers[.xForwardedFor] else { return peerIP }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last(where: { !isTrusted($0) }) ?? hops.first ?? peerIP
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
