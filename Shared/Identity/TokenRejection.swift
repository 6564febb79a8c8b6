/// Why a bearer token was not accepted; the reason goes to logs, never to the client.
package enum TokenRejection: Error, Equatable, CustomStringConvertible {
    /// Malformed, badly signed, expired, or for another issuer or audience.
    case invalid(String)
    /// Signed with a key id that no published key has.
    case unknownKey(String)
    /// The keys could not be fetched (auth down and nothing cached).
    case keysUnavailable(String)

    package var description: String {
        switch self {
        case .invalid(let reason): "invalid token: \(reason)"
        case .unknownKey(let kid): "unknown key id \(kid)"
        case .keysUnavailable(let reason): "signing keys unavailable: \(reason)"
        }
    }
}
