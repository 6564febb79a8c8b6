import JWTKit

/// A set of public keys by key id, ready to verify tokens with. Only
/// Ed25519 keys ever enter it, so no other algorithm can verify.
package struct VerificationKeys: Sendable {
    package let collection: JWTKeyCollection
    package let keyIDs: Set<String>

    /// The Ed25519 keys of a JWKS document; keys of other types are ignored.
    package init(document: JWKSDocument) async throws {
        let collection = JWTKeyCollection()
        var ids: Set<String> = []
        for key in document.keys where key.kty == "OKP" && key.crv == "Ed25519" && (key.alg ?? "EdDSA") == "EdDSA" {
            guard let kid = key.kid, let x = key.x else { continue }
            await collection.add(eddsa: try EdDSA.PublicKey(x: x, curve: .ed25519), kid: JWKIdentifier(string: kid))
            ids.insert(kid)
        }
        self.collection = collection
        self.keyIDs = ids
    }

    package init(collection: JWTKeyCollection, keyIDs: Set<String>) {
        self.collection = collection
        self.keyIDs = keyIDs
    }
}

/// Where a verifier gets the keys for a key id.
package protocol VerificationKeySource: Sendable {
    /// The keys, refreshed first when `kid` is not among them and the source can
    /// refresh; `nil` when no key has that id.
    func keys(including kid: String) async throws(TokenRejection) -> VerificationKeys?
}
