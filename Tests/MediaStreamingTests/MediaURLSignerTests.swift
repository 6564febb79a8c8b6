import Crypto
import Foundation
import HTTPTypes
import MediaStreaming
import Testing

/// Signed, expiring media URLs in both modes.
@Suite struct MediaURLSignerTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    /// 12 hours after ``now``, rounded up to ten minutes.
    static let expires: Int64 = 1_700_043_600

    static func signer(_ mode: MediaURLSigner.Mode = .hmac, keys: String = "k1:first-secret-0123456789") throws -> MediaURLSigner {
        try MediaURLSigner(mode: mode, keys: MediaSigningKey.list(from: keys))
    }

    @Test func hmacURLsHaveTheDocumentedShapeAndSignature() throws {
        let path = try Self.signer().signedPath(videoID: "Abc_123-x", file: "720p/seg 1.m4s", now: Self.now)
        // Computed apart from the module: HMAC-SHA256 of the documented message, base64url.
        let message = "clipset-media-url-v1\nk1\n\(Self.expires)\n/videos/Abc_123-x/"
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data("first-secret-0123456789".utf8)))
        #expect(Self.base64URL(Data(code)) == "D4X4nWraDtbSYLAIXjreVDymWasw3gL3zFMVcPlWg1Y")
        #expect(path == "/media/s/k1.D4X4nWraDtbSYLAIXjreVDymWasw3gL3zFMVcPlWg1Y,\(Self.expires)/videos/Abc_123-x/720p/seg%201.m4s")
    }

    @Test(arguments: MediaURLSigner.Mode.allCases)
    func aSignedPathVerifiesForEveryFileOfTheVideosFolder(mode: MediaURLSigner.Mode) throws {
        let signer = try Self.signer(mode)
        let master = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: Self.now)
        let folder = master.dropLast("master.m3u8".count)
        // A player resolves the playlists' relative URLs against the signed folder.
        for file in ["master.m3u8", "720p/index.m3u8", "720p/seg_001.m4s", "720p/init_0.mp4", "thumbnail.jpg"] {
            let scope = try signer.verify(path: folder + file, now: Self.now.addingTimeInterval(3600))
            #expect(scope.videoID == "vid42")
            #expect(scope.filePath == file)
            #expect(scope.expires == Self.expires)
        }
    }

    @Test(arguments: MediaURLSigner.Mode.allCases)
    func aTamperedSignatureIs403(mode: MediaURLSigner.Mode) throws {
        let signer = try Self.signer(mode)
        let path = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: Self.now)
        let comma = try #require(path.firstIndex(of: ","))
        // Change the first character of the signature (the last carries padding bits in nginx mode).
        let signatureStart = path.index(after: path[..<comma].lastIndex(where: { $0 == "/" || $0 == "." })!)
        let replacement: Character = path[signatureStart] == "A" ? "B" : "A"
        var tampered = path
        tampered.replaceSubrange(signatureStart...signatureStart, with: String(replacement))
        #expect(throws: MediaURLRefusal.badSignature) { try signer.verify(path: tampered, now: Self.now) }
        #expect(MediaURLRefusal.badSignature.status == .forbidden)
    }

    @Test(arguments: MediaURLSigner.Mode.allCases)
    func anotherVideoOrALaterExpiryIs403(mode: MediaURLSigner.Mode) throws {
        let signer = try Self.signer(mode)
        let path = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: Self.now)
        #expect(throws: MediaURLRefusal.badSignature) {
            try signer.verify(path: path.replacingOccurrences(of: "/videos/vid42/", with: "/videos/vid43/"), now: Self.now)
        }
        #expect(throws: MediaURLRefusal.badSignature) {
            try signer.verify(path: path.replacingOccurrences(of: ",\(Self.expires)/", with: ",\(Self.expires + 86_400)/"), now: Self.now)
        }
    }

    @Test(arguments: MediaURLSigner.Mode.allCases)
    func anExpiredURLIs410UntilTheLastSecond(mode: MediaURLSigner.Mode) throws {
        let signer = try Self.signer(mode)
        let path = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: Self.now)
        let lastSecond = Date(timeIntervalSince1970: TimeInterval(Self.expires))
        #expect(try signer.verify(path: path, now: lastSecond).videoID == "vid42")
        #expect(throws: MediaURLRefusal.expired) { try signer.verify(path: path, now: lastSecond.addingTimeInterval(1)) }
        #expect(MediaURLRefusal.expired.status == .gone)
    }

    @Test func anExpiredURLWithABadSignatureIs403LikeNginx() throws {
        let signer = try Self.signer()
        let path = signer.signedPath(videoID: "vid42", file: "a.ts", now: Self.now).replacingOccurrences(of: "/videos/vid42/", with: "/videos/vid4/")
        #expect(throws: MediaURLRefusal.badSignature) { try signer.verify(path: path, now: Self.now.addingTimeInterval(86_400)) }
    }

    @Test func keyRotationVerifiesOldKeysAndSignsWithTheFirst() throws {
        let old = try Self.signer(keys: "2025a:old-secret-0123456789")
        let rotated = try Self.signer(keys: "2025b:new-secret-0123456789, 2025a:old-secret-0123456789")
        let retired = try Self.signer(keys: "2025b:new-secret-0123456789")
        let oldPath = old.signedPath(videoID: "v", file: "master.m3u8", now: Self.now)
        let newPath = rotated.signedPath(videoID: "v", file: "master.m3u8", now: Self.now)
        #expect(newPath.hasPrefix("/media/s/2025b."))
        #expect(try rotated.verify(path: oldPath, now: Self.now).videoID == "v")
        #expect(try retired.verify(path: newPath, now: Self.now).videoID == "v")
        #expect(throws: MediaURLRefusal.badSignature) { try retired.verify(path: oldPath, now: Self.now) }
        // A key id that names a known key but carries another key's signature.
        let forged = oldPath.replacingOccurrences(of: "/2025a.", with: "/2025b.")
        #expect(throws: MediaURLRefusal.badSignature) { try rotated.verify(path: forged, now: Self.now) }
    }

    @Test func nginxModeSignsWhatSecureLinkChecks() throws {
        let signer = try Self.signer(.nginx, keys: "main:n0t-so-s3cret-value")
        let path = signer.signedPath(videoID: "Abc_123-x", file: "master.m3u8", now: Self.now)
        // nginx: secure_link $1,$2; secure_link_md5 "$2$3 <secret>"; with $3 = /videos/<id>/
        let hashed = "\(Self.expires)/videos/Abc_123-x/ n0t-so-s3cret-value"
        #expect(hashed == "1700043600/videos/Abc_123-x/ n0t-so-s3cret-value")
        // `printf '%s' "$hashed" | openssl md5 -binary | base64 | tr +/ -_ | tr -d =`
        #expect(Self.base64URL(Data(Insecure.MD5.hash(data: Data(hashed.utf8)))) == "-bKx84SvHuF2RTwUe8IKtg")
        #expect(path == "/media/s/-bKx84SvHuF2RTwUe8IKtg,1700043600/videos/Abc_123-x/master.m3u8")
        #expect(path.wholeMatch(of: #/\/media\/s\/([A-Za-z0-9_-]+),([0-9]+)(\/videos\/([A-Za-z0-9_-]+)\/)(.+)/#) != nil)
    }

    @Test(arguments: [
        "/media/s/", "/media/s/k1.abc/videos/v/a.ts", "/media/s/k1.abc,/videos/v/a.ts", "/media/s/k1.abc,12x/videos/v/a.ts",
        "/media/s/k1.abc,-5/videos/v/a.ts", "/media/s/k1.abc,99999999999999999999/videos/v/a.ts", "/media/s/k1.abc,1/video/v/a.ts",
        "/media/s/k1.abc,1/videos/v/", "/media/s/k1.abc,1/videos/v", "/media/s/k1.abc,1/videos/v.w/a.ts", "/media/s/k1.abc,1/videos//a.ts",
        "/media/x/k1.abc,1/videos/v/a.ts", "/media/sk1.abc,1/videos/v/a.ts", "/other",
    ])
    func aPathThatIsNotASignedMediaPathIs404(path: String) throws {
        #expect(throws: MediaURLRefusal.malformed) { try Self.signer().verify(path: path, now: Self.now) }
        #expect(MediaURLRefusal.malformed.status == .notFound)
    }

    @Test func unknownKeyIDsAreBadSignatures() throws {
        let signer = try Self.signer()
        #expect(throws: MediaURLRefusal.badSignature) { try signer.verify(path: "/media/s/k9.abc,1/videos/v/a.ts", now: Self.now) }
        #expect(throws: MediaURLRefusal.badSignature) { try signer.verify(path: "/media/s/nodot,1/videos/v/a.ts", now: Self.now) }
    }

    @Test(arguments: ["", "nocolon", "k1:short", "bad id:0123456789abcdef", "k1:0123456789abcdef$x", "k1:0123456789abcdef, k1:fedcba9876543210"])
    func badKeyConfigurationIsRefused(keys: String) {
        #expect(throws: MediaSigningConfigurationError.self) { try MediaSigningKey.list(from: keys) }
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
