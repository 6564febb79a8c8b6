import Foundation
import HTTPTypes

/// The header names and fixed values of tus 1.0.0.
package enum TusHeader {
    package static let resumable = HTTPField.Name("Tus-Resumable")!
    package static let version = HTTPField.Name("Tus-Version")!
    package static let `extension` = HTTPField.Name("Tus-Extension")!
    package static let maxSize = HTTPField.Name("Tus-Max-Size")!
    package static let checksumAlgorithm = HTTPField.Name("Tus-Checksum-Algorithm")!
    package static let uploadLength = HTTPField.Name("Upload-Length")!
    package static let uploadDeferLength = HTTPField.Name("Upload-Defer-Length")!
    package static let uploadOffset = HTTPField.Name("Upload-Offset")!
    package static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
    package static let uploadExpires = HTTPField.Name("Upload-Expires")!
    package static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
    package static let methodOverride = HTTPField.Name("X-HTTP-Method-Override")!

    /// The one protocol version served.
    package static let protocolVersion = "1.0.0"
    /// The extensions served; `creation-defer-length` is not among them, so a creation
    /// without `Upload-Length` is a 400.
    package static let extensions = "creation,creation-with-upload,termination,expiration,checksum"
    /// The media type of every PATCH body (and of a creation-with-upload body).
    package static let offsetOctetStream = "application/offset+octet-stream"

    /// A header value that must be a non-negative decimal integer (no sign, no spaces).
    static func nonNegativeInteger(_ text: String?) -> Int64? {
        guard let text, !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        return Int64(text)
    }

    /// Whether the request's `Content-Type` is `application/offset+octet-stream` (parameters ignored).
    static func isOffsetOctetStream(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == offsetOctetStream
    }
}

/// RFC 9110's IMF-fixdate, the form of `Upload-Expires`: `Sun, 06 Nov 1994 08:49:37 GMT`.
package enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats `date` in GMT, whole seconds.
    package static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        /// Two digits, zero-padded.
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }

    /// Parses an IMF-fixdate; nil for anything else.
    package static func date(from text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[5] == "GMT", let month = months.firstIndex(of: String(fields[2])) else { return nil }
        let time = fields[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, let day = Int(fields[1]), let year = Int(fields[3]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        return calendar.date(from: DateComponents(
            year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2]))
    }
}
