import Configuration
import Crypto
import Foundation
import JWTKit

/// auth's Ed25519 private keys: one signs, every one verifies and is published,
/// so a new key can be added (published first), then made the signing key,
/// and the old one dropped once its last tokens expired, without logging anyone out.
///
/// Configuration keys:
/// - `jwt.private.keys` (`JWT_PRIVATE_KEYS`, secret, required): comma-separated
///   `kid:seed` entries, `seed` being the 32-byte Ed25519 private key in base64url.
/// - `jwt.active.key.id` (`JWT_ACTIVE_KEY_ID`, default: the first entry's kid): the key that signs.
package struct SigningKeyRing: Sendable {
    package let activeKeyID: String
    package let jwks: JWKSDocument
    package let keys: VerificationKeys

    package init(reader: ConfigReader) async throws {
        guard let entries = reader.string(forKey: "jwt.private.keys", isSecret: true), !entries.isEmpty else {
            throw SigningKeyError("JWT_PRIVATE_KEYS is not set: give auth at least one `kid:seed` Ed25519 key")
        }
        try await self.init(entries: entries, activeKeyID: reader.string(forKey: "jwt.active.key.id"))
    }

    /// Parses `kid:seed,kid:seed`; the active key defaults to the first.
    package init(entries: String, activeKeyID: String? = nil) async throws {
        var pairs: [(kid: String, key: Curve25519.Signing.PrivateKey)] = []
        for entry in entries.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, let seed = Base64URL.decode(parts[1]), seed.count == 32 else {
                throw SigningKeyError("a JWT_PRIVATE_KEYS entry is not `kid:<32-byte base64url seed>`")
            }
            guard !pairs.contains(where: { $0.kid == String(parts[0]) }) else {
                throw SigningKeyError("JWT_PRIVATE_KEYS names key id \(parts[0]) twice")
            }
            pairs.append((String(parts[0]), try Curve25519.Signing.PrivateKey(rawRepresentation: seed)))
        }
        guard let first = pairs.first else { throw SigningKeyError("JWT_PRIVATE_KEYS holds no key") }
        // An empty JWT_ACTIVE_KEY_ID (an .env line without a value) means the default, not a key named "".
        let named = activeKeyID?.trimmingCharacters(in: .whitespaces)
        let active = named.flatMap { $0.isEmpty ? nil : $0 } ?? first.kid
        guard pairs.contains(where: { $0.kid == active }) else {
            throw SigningKeyError("JWT_ACTIVE_KEY_ID \(active) is not among JWT_PRIVATE_KEYS")
        }
        let collection = JWTKeyCollection()
        for pair in pairs {
            await collection.add(eddsa: EdDSA.PrivateKey(backing: pair.key), kid: JWKIdentifier(string: pair.kid))
        }
        self.activeKeyID = active
        self.keys = VerificationKeys(collection: collection, keyIDs: Set(pairs.map(\.kid)))
        self.jwks = JWKSDocument(keys: pairs.map {
            .ed25519(kid: $0.kid, x: Base64URL.encode($0.key.publicKey.rawRepresentation))
        })
    }

    /// A signed compact JWT of `claims` with the active key and its `kid`.
    package func sign(_ claims: AccessClaims) async throws -> String {
        try await keys.collection.sign(claims, kid: JWKIdentifier(string: activeKeyID))
    }
}

extension SigningKeyRing: VerificationKeySource {
    package func keys(including kid: String) async throws(TokenRejection) -> VerificationKeys? {
        keys.keyIDs.contains(kid) ? keys : nil
    }
}

/// auth's key configuration is unusable; auth refuses to start.
package struct SigningKeyError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
