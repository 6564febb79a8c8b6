import Foundation
import HTTPTypes
import ServiceKit

/// What a valid signed media URL grants: one file path below one video's folder.
package struct MediaURLScope: Sendable, Equatable {
    /// The video the signature is bound to.
    package var videoID: String
    /// The file below the video's folder, still percent-encoded as it was in the URL; resolve
    /// it with ``ConfinedFolder/resolve(_:)``, which decodes it and refuses escapes.
    package var filePath: String
    /// When the URL stops being valid (Unix seconds).
    package var expires: Int64
}

/// Why a media URL was refused, with the status nginx's `secure_link` setup answers.
package enum MediaURLRefusal: Error, Equatable, Sendable {
    /// Not a signed media path at all: 404.
    case malformed
    /// The signature does not match (tampered, another video, an unknown key): 403.
    case badSignature
    /// Signed, but the time is past: 410, so the player fetches a fresh manifest.
    case expired

    /// The status of the error response.
    package var status: HTTPResponse.Status {
        switch self {
        case .malformed: .notFound
        case .badSignature: .forbidden
        case .expired: .gone
        }
    }

    /// The JSON error response for this refusal.
    package var apiError: APIError {
        switch self {
        case .malformed: APIError(.notFound, "Not Found")
        case .badSignature: APIError(.forbidden, "Invalid media URL signature")
        case .expired: APIError(.gone, "Media URL has expired. Please refetch the manifest.")
        }
    }
}

extension MediaURLSigner {
    /// Checks a request path (without the query) of the form
    /// `<prefix>/<token>,<expires>/videos/<video-id>/<file path>`.
    ///
    /// The signature is checked before the expiry, as nginx does, and compared in constant
    /// time against every configured key (by id in `hmac` mode, each in turn in `nginx` mode).
    package func verify(path: String, now: Date = .now) throws(MediaURLRefusal) -> MediaURLScope {
        guard path.hasPrefix(pathPrefix + "/") else { throw .malformed }
        let segments = path.dropFirst(pathPrefix.count + 1).split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard segments.count == 4, segments[1] == "videos", Self.isVideoID(segments[2]), !segments[3].isEmpty,
            let comma = segments[0].lastIndex(of: ","),
            let expires = Self.expiry(segments[0][segments[0].index(after: comma)...])
        else { throw .malformed }
        let presented = segments[0][..<comma]
        let scope = Self.scope(videoID: String(segments[2]))

        guard candidateKeys(for: presented).contains(where: { key in
            constantTimeEquals(Array(token(expires: expires, scope: scope, key: key).utf8), Array(presented.utf8))
        }) else { throw .badSignature }
        guard Int64(now.timeIntervalSince1970.rounded(.down)) <= expires else { throw .expired }
        return MediaURLScope(videoID: String(segments[2]), filePath: String(segments[3]), expires: expires)
    }

    /// The keys that may have made `token`: the one its key id names in `hmac` mode, all in `nginx` mode.
    private func candidateKeys(for token: Substring) -> [MediaSigningKey] {
        switch mode {
        case .hmac:
            guard let dot = token.firstIndex(of: ".") else { return [] }
            let keyID = token[..<dot]
            return keys.filter { $0.id == keyID }
        case .nginx:
            return keys
        }
    }

    /// 1-19 decimal digits (no sign) as Unix seconds.
    private static func expiry(_ text: Substring) -> Int64? {
        guard (1...19).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}

/// Whether two byte strings are equal, taking the same time wherever they differ.
///
/// The lengths are not secret (every signature of a mode has the same length).
func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices {
        difference |= lhs[index] ^ rhs[index]
    }
    return difference == 0
}
