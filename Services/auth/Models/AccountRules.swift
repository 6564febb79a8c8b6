import ServiceKit

/// The original's rules for emails, usernames and passwords, reported as
/// 422 field problems.
enum AccountRules {
    /// A lower-cased email, or a problem. Any syntactically valid address is
    /// accepted, `.local` ones included (a self-hosted platform on a LAN has them).
    static func email(_ value: String?, field: String = "email", into reader: inout FieldReader) -> String? {
        guard let value else { return nil }
        if let reason = EmailSyntax.problem(in: value) {
            reader.report(field, "value is not a valid email address: \(reason)", input: .string(value))
            return nil
        }
        return value.lowercased()
    }

    /// A lower-cased username of 3-50 letters, digits and underscores.
    static func username(_ value: String?, into reader: inout FieldReader) -> String? {
        guard let value else { return nil }
        let before = reader.problems.count
        reader.checkLength("username", value, min: 3, max: 50)
        guard reader.problems.count == before else { return nil }
        guard value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
            reader.report("username", "Value error, Username must contain only letters, numbers, and underscores", input: .string(value))
            return nil
        }
        return value.lowercased()
    }

    /// A password of at least 8 characters.
    static func password(_ value: String?, field: String = "password", into reader: inout FieldReader) -> String? {
        let before = reader.problems.count
        reader.checkLength(field, value, min: 8)
        return reader.problems.count == before ? value : nil
    }
}

/// A practical check of an email address's syntax (RFC 5321 limits, RFC 5322
/// dot-atom local part, a dotted domain of LDH labels).
enum EmailSyntax {
    static func problem(in address: String) -> String? {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "The email address is not valid. It must have exactly one @-sign." }
        let (local, domain) = (parts[0], parts[1])
        guard !local.isEmpty else { return "There must be something before the @-sign." }
        guard !domain.isEmpty else { return "There must be something after the @-sign." }
        guard address.utf8.count <= 254, local.utf8.count <= 64 else { return "The email address is too long." }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")
        guard local.allSatisfy({ atext.contains($0) }) else { return "The email address contains invalid characters before the @-sign." }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return "The email address has a period in a position that is not allowed."
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "The part after the @-sign is not valid. It should have a period." }
        let ldh = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.allSatisfy({ ldh.contains($0) }),
                  !label.hasPrefix("-"), !label.hasSuffix("-")
            else { return "The part after the @-sign is not a valid domain name." }
        }
        if let tld = labels.last, tld.allSatisfy(\.isNumber) { return "The part after the @-sign is not a valid domain name." }
        return nil
    }
}
