import Configuration
import MediaStreaming

/// The signer of media URLs, from the configuration.
///
/// Configuration keys:
/// - `media.url.signing.keys` (`MEDIA_URL_SIGNING_KEYS`): `kid:secret` entries, the first signs
///   (rotation: put the new key first, keep the old one until its URLs expire);
/// - or `media.url.signing.key` (`MEDIA_URL_SIGNING_KEY`): one secret, key id `k1`;
/// - `media.url.signing.mode` (`MEDIA_URL_SIGNING_MODE`, default `hmac`): `hmac`, or `nginx` for
///   URLs nginx's `secure_link` can check (compose/ serves the files that way);
/// - `media.url.lifetime.seconds` (`MEDIA_URL_LIFETIME_SECONDS`, default 43200).
enum MediaSigning {
    static func signer(reader: ConfigReader) throws -> MediaURLSigner {
        let keys: [MediaSigningKey]
        if let list = reader.string(forKey: "media.url.signing.keys", isSecret: true), !list.isEmpty {
            keys = try MediaSigningKey.list(from: list)
        } else if let secret = reader.string(forKey: "media.url.signing.key", isSecret: true), !secret.isEmpty {
            keys = [try MediaSigningKey(id: "k1", secret: secret)]
        } else {
            throw MediaSigningSettingError("set MEDIA_URL_SIGNING_KEY or MEDIA_URL_SIGNING_KEYS")
        }
        let modeName = reader.string(forKey: "media.url.signing.mode", default: "hmac")
        guard let mode = MediaURLSigner.Mode(rawValue: modeName) else {
            throw MediaSigningSettingError("MEDIA_URL_SIGNING_MODE must be hmac or nginx, not '\(modeName)'")
        }
        let lifetime = reader.int(forKey: "media.url.lifetime.seconds", default: 43_200)
        return try MediaURLSigner(mode: mode, keys: keys, lifetime: .seconds(max(60, lifetime)))
    }
}

/// A media signing setting the service cannot start with.
struct MediaSigningSettingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
