#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A folder media is served from, and the one way to turn an untrusted relative path
/// into a file inside it.
///
/// ``resolve(_:)`` refuses, before touching the disk: an empty or absolute path, empty,
/// `.` and `..` segments, backslashes, NUL and other control characters, malformed
/// percent-escapes, and escapes that decode to `/`, `\`, `%` (a double encoding such as
/// `%252e%252e`) or to a dot segment (`%2e%2e`). It then resolves symbolic links and
/// refuses a path whose real location is outside the root, and a dangling link.
package struct ConfinedFolder: Sendable {
    /// The root's real path (symbolic links resolved), without a trailing slash.
    package let path: String

    /// - Throws: `CocoaError(.fileNoSuchFile)` when `root` does not exist.
    package init(_ root: URL) throws {
        guard case .success(let real) = Self.realPath(root.path(percentEncoded: false)) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: root.path(percentEncoded: false)])
        }
        path = real
    }

    /// The file `relativePath` (percent-encoded, as in a URL path) names inside the root, or
    /// `nil` when the path is refused.
    ///
    /// For an existing file this is its real path, so opening it follows no further link; a
    /// missing file gives the real path of its deepest existing folder plus the rest, so the
    /// caller's open fails with "not found". Uses `realpath(3)`, a few metadata system calls.
    package func resolve(_ relativePath: String) -> URL? {
        guard let segments = Self.decodedSegments(relativePath) else { return nil }
        var existing = segments.count
        while true {
            let prefix = ([path] + segments[..<existing]).joined(separator: "/")
            switch Self.realPath(prefix) {
            case .success(let real):
                guard real == path || real.hasPrefix(path + "/") else { return nil }
                return URL(fileURLWithPath: ([real] + segments[existing...]).joined(separator: "/"))
            case .failure(let error) where existing > 0 && (error.code == ENOENT || error.code == ENOTDIR):
                // Something there that cannot be resolved is a dangling link, whose target could appear anywhere.
                guard !Self.exists(prefix) else { return nil }
                existing -= 1
            case .failure:
                return nil
            }
        }
    }

    /// The decoded segments of `raw`, or `nil` when any is refused (see the type's documentation).
    static func decodedSegments(_ raw: String) -> [String]? {
        guard !raw.isEmpty, !raw.hasPrefix("/") else { return nil }
        var segments: [String] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = percentDecoded(segment), decoded != ".", decoded != "..",
                decoded.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "%") })
            else { return nil }
            segments.append(decoded)
        }
        return segments
    }

    /// `segment` with `%XX` escapes decoded once; `nil` when empty, malformed, or not UTF-8.
    private static func percentDecoded(_ segment: Substring) -> String? {
        guard !segment.isEmpty else { return nil }
        var bytes: [UInt8] = []
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Whether anything, even a dangling symbolic link, is at `path` (`lstat` does not follow links).
    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// `realpath(3)`, or its `errno` when a component is missing, unreadable or a link loop.
    private static func realPath(_ path: String) -> Result<String, RealPathError> {
        guard let resolved = realpath(path, nil) else { return .failure(RealPathError(code: errno)) }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    /// The `errno` of a failed `realpath`.
    private struct RealPathError: Error {
        var code: CInt
    }
}
