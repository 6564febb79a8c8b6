/// The validators of one version of a file (RFC 9110 §8.8) and the conditions that use them.
struct MediaValidators: Sendable, Equatable {
    /// A strong entity tag, quoted: size, nanosecond modification time, device and inode in hex.
    ///
    /// Strong because any change of content through a rename-into-place publish or an
    /// in-place write changes the inode or the mtime. The device number makes it differ
    /// between hosts that mount the same files, so several media servers behind one
    /// balancer would see each other's tags as stale (a 200 instead of a 206 on `If-Range`),
    /// never as a false match.
    let eTag: String
    /// The modification time as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    let lastModified: String

    init(_ info: MediaFileInfo) {
        let fields = [
            info.size, info.modifiedSeconds, info.modifiedNanoseconds,
        ].map { String(UInt64(bitPattern: $0), radix: 16) } + [info.device, info.inode].map { String($0, radix: 16) }
        eTag = "\"" + fields.joined(separator: "-") + "\""
        lastModified = HTTPDate.string(fromUnixSeconds: info.modifiedSeconds)
    }

    /// Whether `If-None-Match` (all its field lines) matches: `*`, or one of its tags equals
    /// ours under the weak comparison of RFC 9110 §13.1.2 (a `W/` prefix is ignored).
    func noneMatchHolds(_ fieldValues: [String]) -> Bool {
        let tags = fieldValues.flatMap(Self.entityTags)
        return tags.contains { $0 == "*" || Self.opaque($0) == eTag }
    }

    /// Whether `If-Range` lets a range through (RFC 9110 §13.1.5): only our strong tag,
    /// compared strongly (a weak tag never matches), or a date equal to `Last-Modified`.
    func ifRangeHolds(_ value: String) -> Bool {
        let value = String(value.trimmingOWS)
        if value.hasPrefix("\"") { return value == eTag }
        if value.hasPrefix("W/") { return false }
        return value == lastModified
    }

    /// A tag without its weakness indicator.
    private static func opaque(_ tag: Substring) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }

    /// The comma-separated members of an entity-tag list; commas inside quotes do not split.
    private static func entityTags(_ list: String) -> [Substring] {
        var tags: [Substring] = []
        var start = list.startIndex
        var inQuotes = false
        for index in list.indices {
            switch list[index] {
            case "\"": inQuotes.toggle()
            case "," where !inQuotes:
                tags.append(list[start..<index].trimmingOWS)
                start = list.index(after: index)
            default: break
            }
        }
        tags.append(list[start...].trimmingOWS)
        return tags.filter { !$0.isEmpty }
    }
}

/// HTTP's preferred date format (RFC 9110 §5.6.7), computed without a locale or formatter.
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `seconds` since 1970 in UTC as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func string(fromUnixSeconds seconds: Int64) -> String {
        let (days, secondOfDay) = divideFloor(seconds, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = weekdays[Int(divideFloor(days, 7).remainder)]
        let time = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60].map(twoDigits).joined(separator: ":")
        let yearText = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(weekday), \(twoDigits(day)) \(months[Int(month) - 1]) \(paddedYear) \(time) GMT"
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    private static func divideFloor(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = (value % divisor + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    /// Year, month (1-12) and day of a day count, in the proleptic Gregorian calendar
    /// (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = divideFloor(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
