import Crypto
import Foundation
import NIOCore
import ServiceKit

/// An `Upload-Checksum` header: the algorithm and the digest the body must have.
struct TusChecksum: Sendable {
    /// The algorithms of `Tus-Checksum-Algorithm`.
    enum Algorithm: String, CaseIterable, Sendable {
        case sha1
        case sha256

        var digestByteCount: Int {
            switch self {
            case .sha1: Insecure.SHA1.byteCount
            case .sha256: SHA256.byteCount
            }
        }
    }

    static let supported = Algorithm.allCases.map(\.rawValue).joined(separator: ",")

    let algorithm: Algorithm
    let digest: [UInt8]

    /// Parses `<algorithm> <base64 digest>`; nil header means no checksum.
    /// - Throws: a 400 for an unsupported algorithm or a malformed value.
    init?(header: String?) throws {
        guard let header else { return nil }
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard parts.count == 2 else { throw TusError.badRequest("Upload-Checksum must be '<algorithm> <base64 digest>'") }
        guard let algorithm = Algorithm(rawValue: parts[0].lowercased()) else {
            throw TusError.badRequest("Unsupported checksum algorithm '\(parts[0])'; supported: \(Self.supported)")
        }
        guard let digest = Data(base64Encoded: String(parts[1])), digest.count == algorithm.digestByteCount else {
            throw TusError.badRequest("Upload-Checksum is not a base64 \(algorithm.rawValue) digest")
        }
        self.algorithm = algorithm
        self.digest = Array(digest)
    }

    /// A hash of the body as it arrives.
    func makeHasher() -> Hasher {
        switch algorithm {
        case .sha1: .sha1(Insecure.SHA1())
        case .sha256: .sha256(SHA256())
        }
    }

    /// The running hash of one of the algorithms.
    enum Hasher {
        case sha1(Insecure.SHA1)
        case sha256(SHA256)

        mutating func update(_ buffer: ByteBuffer) {
            buffer.withUnsafeReadableBytes { bytes in
                switch self {
                case .sha1(var hash):
                    hash.update(bufferPointer: bytes)
                    self = .sha1(hash)
                case .sha256(var hash):
                    hash.update(bufferPointer: bytes)
                    self = .sha256(hash)
                }
            }
        }

        func finalize() -> [UInt8] {
            switch self {
            case .sha1(let hash): Array(hash.finalize())
            case .sha256(let hash): Array(hash.finalize())
            }
        }
    }
}
