/// An email address with an optional display name, as in `From: Clipset <no-reply@example.com>`.
///
/// Validated on creation: the address is plain ASCII with one `@`, and neither part may
/// contain CR, LF or other control characters, so it can never inject a header.
package struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bare address, `local@domain`.
    package let address: String
    /// The display name, if any (any Unicode; encoded when rendered).
    package let name: String?

    /// Creates an address; throws ``MailError/Kind/invalidMessage`` for a malformed one.
    package init(_ address: String, name: String? = nil) throws {
        let forbidden: Set<Character> = ["<", ">", "(", ")", "[", "]", ",", ";", ":", "\\", "\"", "@"]
        guard let at = address.lastIndex(of: "@"),
            case let local = address[..<at], case let domain = address[address.index(after: at)...],
            !local.isEmpty, !domain.isEmpty,
            address.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }),
            !local.contains(where: forbidden.contains), !domain.contains(where: forbidden.contains)
        else {
            throw MailError(.invalidMessage, "not a valid email address: \(address.debugDescription)")
        }
        if let name, name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw MailError(.invalidMessage, "control character in the display name of \(address)")
        }
        self.address = address
        self.name = name
    }

    /// The part after the `@`.
    package var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }

    package var description: String {
        name.map { "\($0) <\(address)>" } ?? address
    }
}
