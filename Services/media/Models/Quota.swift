import Foundation
import Hummingbird

/// A user's weekly upload counter as it stands now (a counter from before the current
/// week's start counts as zero, even before the weekly reset has run).
struct QuotaUsage: Sendable {
    var usedBytes: Int64
    var lastReset: Date
}

/// The `Quota` shape of `GET /api/videos/quota/me` (API §2).
struct QuotaBody: ResponseEncodable {
    let usedBytes: Int64
    let limitBytes: Int64
    let maxFileSizeBytes: Int64

    enum CodingKeys: String, CodingKey {
        case usedBytes = "used_bytes", limitBytes = "limit_bytes", remainingBytes = "remaining_bytes"
        case percentageUsed = "percentage_used", canUpload = "can_upload", maxFileSizeBytes = "max_file_size_bytes"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(usedBytes, forKey: .usedBytes)
        try c.encode(limitBytes, forKey: .limitBytes)
        try c.encode(max(0, limitBytes - usedBytes), forKey: .remainingBytes)
        let percentage = limitBytes > 0 ? Double(usedBytes) / Double(limitBytes) * 100 : 0
        try c.encode((percentage * 100).rounded() / 100, forKey: .percentageUsed)
        try c.encode(usedBytes < limitBytes, forKey: .canUpload)
        try c.encode(maxFileSizeBytes, forKey: .maxFileSizeBytes)
    }
}

/// The original's messages for sizes, in GB of 1024³ bytes with two decimals.
enum SizeMessages {
    static func gigabytes(_ bytes: Int64) -> String {
        String(format: "%.2f", Double(bytes) / 1_073_741_824)
    }

    static func tooLarge(max: Int64) -> String {
        "File too large. Maximum size: \(gigabytes(max)) GB"
    }

    static func overQuota(used: Int64, limit: Int64, size: Int64) -> String {
        "Upload would exceed weekly quota. Used: \(gigabytes(used)) GB / \(gigabytes(limit)) GB. File size: \(gigabytes(size)) GB"
    }
}
