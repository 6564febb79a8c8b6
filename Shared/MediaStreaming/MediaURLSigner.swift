import Crypto
import Foundation

/// Signs and checks expiring media URLs that are bound to one video and cover every file
/// below its folder, so a player can follow the relative URLs inside HLS playlists.
///
/// Relative resolution keeps the path and drops the query, so the signature lives in the
/// path, before the part that relative URLs replace:
///
///     /media/s/<token>,<expires>/videos/<video-id>/<file path>
///
/// `<expires>` is Unix seconds; the link is good while `now <= expires`. The signature
/// covers `<expires>` and the scope `/videos/<video-id>/`, so `master.m3u8`,
/// `720p/index.m3u8` and `720p/seg_001.m4s` under one signed prefix are all valid.
///
/// Two ``Mode``s:
/// - `hmac` (default): `<token>` is `<kid>.<sig>`, `sig` the base64url (no padding) of
///   HMAC-SHA256 over `clipset-media-url-v1\n<kid>\n<expires>\n/videos/<video-id>/`, keyed
///   by the key named `kid`. Several keys verify; the first signs.
/// - `nginx`: `<token>` is the base64url (no padding) of the raw MD5 of
///   `<expires>/videos/<video-id>/ <secret>`, which nginx's `secure_link` module checks with
///   the same secret (it only has one; the service also accepts the other keys):
///
/// ```nginx
/// location ~ ^/media/s/([A-Za-z0-9_-]+),([0-9]+)(/videos/([A-Za-z0-9_-]+)/)(.+)$ {
///     secure_link $1,$2;
///     secure_link_md5 "$2$3 <secret>";
///     if ($secure_link = "")  { return 403; }
///     if ($secure_link = "0") { return 410; }
///     alias /var/lib/clipset/media/videos/$4/$5;
/// }
/// ```
///
/// nginx normalises `..` and percent-escapes in the URI before matching, so a path that
/// climbs out of the folder no longer matches its signature's scope.
package struct MediaURLSigner: Sendable {
    /// How the signature is made: see the type's documentation.
    package enum Mode: String, Sendable, CaseIterable {
        case hmac
        case nginx
    }

    package let mode: Mode
    /// The first key signs; all of them verify.
    package let keys: [MediaSigningKey]
    /// Where signed URLs start, e.g. `/media/s`; no trailing slash.
    package let pathPrefix: String
    /// How long a new URL is good for, at least; see ``signedPath(videoID:file:now:)``.
    package let lifetime: Duration

    /// Expiry times are rounded up to a multiple of this, so every URL a video gets within
    /// that span is the same and the files stay cacheable (in the browser and a CDN).
    static let expiryGranularity: Int64 = 600

    /// - Throws: ``MediaSigningConfigurationError`` without keys, or for a prefix that does
    ///   not start with `/` or ends with one.
    package init(
        mode: Mode = .hmac, keys: [MediaSigningKey], pathPrefix: String = "/media/s", lifetime: Duration = .seconds(43_200)
    ) throws(MediaSigningConfigurationError) {
        guard !keys.isEmpty else { throw .init("no media signing key is configured") }
        guard pathPrefix.hasPrefix("/"), !pathPrefix.hasSuffix("/") else {
            throw .init("the media URL prefix must start with '/' and not end with one")
        }
        self.mode = mode
        self.keys = keys
        self.pathPrefix = pathPrefix
        self.lifetime = lifetime
    }

    /// The signed path of `file` (relative, e.g. `master.m3u8` or `720p/index.m3u8`) of the
    /// video `videoID` (`A-Z a-z 0-9 _ -`), good for at least ``lifetime`` from `now`.
    ///
    /// Each segment of `file` is percent-encoded except for unreserved characters; an
    /// empty `file` gives the signed folder, ending in `/`.
    package func signedPath(videoID: String, file: String, now: Date = .now) -> String {
        assert(Self.isVideoID(videoID[...]), "a video id must be 1-64 of A-Z a-z 0-9 _ -")
        let earliest = Int64(now.timeIntervalSince1970.rounded(.up)) + lifetime.components.seconds
        let expires = (earliest + Self.expiryGranularity - 1) / Self.expiryGranularity * Self.expiryGranularity
        let encodedFile = file.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "" }
            .joined(separator: "/")
        let scope = Self.scope(videoID: videoID)
        return "\(pathPrefix)/\(token(expires: expires, scope: scope, key: keys[0])),\(expires)\(scope)\(encodedFile)"
    }

    /// The signature part of the token for `key`.
    func token(expires: Int64, scope: String, key: MediaSigningKey) -> String {
        switch mode {
        case .hmac:
            let code = HMAC<SHA256>.authenticationCode(
                for: Data(Self.hmacMessage(keyID: key.id, expires: expires, scope: scope).utf8),
                using: SymmetricKey(data: Data(key.secret.utf8))
            )
            return "\(key.id).\(Self.base64URL(Data(code)))"
        case .nginx:
            let digest = Insecure.MD5.hash(data: Data("\(expires)\(scope) \(key.secret)".utf8))
            return Self.base64URL(Data(digest))
        }
    }

    /// What HMAC mode signs; the label keeps these MACs apart from any other use of a secret.
    static func hmacMessage(keyID: String, expires: Int64, scope: String) -> String {
        "clipset-media-url-v1\n\(keyID)\n\(expires)\n\(scope)"
    }

    /// The part of the path the signature covers: `/videos/<video-id>/`.
    static func scope(videoID: String) -> String { "/videos/\(videoID)/" }

    /// Whether `text` can be a video id in a media URL.
    static func isVideoID(_ text: Substring) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(isTokenByte)
    }

    /// RFC 3986's unreserved characters, the only ones left unescaped in a signed file path.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Base64url without padding (RFC 4648 §5).
    static func base64URL(_ data: Data) -> String {
        String(
            data.base64EncodedString().compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            }
        )
    }
}
