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
/// - `trusted.proxies` (`TRUSTED_PROXIES`, default `127.0.0.1,::1`): comma-separated addresses.
package struct ClientAddressResolver: Sendable {
    let trusted: Set<String>

    package init(trusted: Set<String>) { self.trusted = trusted }

    package init(reader: ConfigReader) {
        let list = reader.string(forKey: "trusted.proxies", default: "127.0.0.1,::1")
        self.init(trusted: Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
    }

    /// Whether `address` is a proxy whose `X-Forwarded-*` headers are believed.
    package func isTrusted(_ address: String) -> Bool { trusted.contains(address) }

    /// The client's address for `request` arriving from `peer`.
    package func address(of request: Request, peer: SocketAddress?) -> String {
        let peerIP = peer?.ipAddress ?? "unknown"
        guard trusted.contains(peerIP), let forwarded = request.headers[.xForwardedFor] else { return peerIP }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last(where: { !trusted.contains($0) }) ?? hops.first ?? peerIP
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
