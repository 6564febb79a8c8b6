import Configuration

/// What every verifier checks besides the signature, and what auth signs.
///
/// Configuration keys:
/// - `jwt.issuer` (`JWT_ISSUER`, default `clipset`): the `iss` claim.
/// - `jwt.audience` (`JWT_AUDIENCE`, default `clipset`): the `aud` claim.
package struct TokenSettings: Sendable, Equatable {
    package var issuer: String
    package var audience: String

    package init(issuer: String = "clipset", audience: String = "clipset") {
        self.issuer = issuer
        self.audience = audience
    }

    package init(reader: ConfigReader) {
        self.init(
            issuer: reader.string(forKey: "jwt.issuer", default: "clipset"),
            audience: reader.string(forKey: "jwt.audience", default: "clipset")
        )
    }
}
