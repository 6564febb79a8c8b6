/// The JSON Web Key Set auth publishes at `/.well-known/jwks.json`: the
/// public half of every active Ed25519 key (RFC 8037 `OKP` keys).
package struct JWKSDocument: Codable, Sendable, Equatable {
    /// One public key.
    package struct Key: Codable, Sendable, Equatable {
        package var kty: String
        package var crv: String?
        package var x: String?
        package var kid: String?
        package var alg: String?
        package var use: String?

        /// An Ed25519 signing key with its id and base64url public bytes.
        package static func ed25519(kid: String, x: String) -> Key {
            Key(kty: "OKP", crv: "Ed25519", x: x, kid: kid, alg: "EdDSA", use: "sig")
        }
    }

    package var keys: [Key]

    package init(keys: [Key]) { self.keys = keys }
}
