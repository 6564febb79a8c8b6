import Configuration
import Foundation

/// When weekly upload counters start again (API §4.4): a weekday and hour in a time zone.
///
/// Configuration keys:
/// - `quota.reset.day` (`QUOTA_RESET_DAY`, default `sunday`): a weekday name or 0-6 (0 = Sunday).
/// - `quota.reset.hour` (`QUOTA_RESET_HOUR`, default 0).
/// - `quota.reset.timezone` (`QUOTA_RESET_TIMEZONE`, default `UTC`): an IANA zone name.
struct QuotaSchedule: Sendable {
    let weekday: Int  // Calendar's: 1 = Sunday ... 7 = Saturday
    let hour: Int
    let timeZone: TimeZone

    init(weekday: Int = 1, hour: Int = 0, timeZone: TimeZone = .gmt) {
        self.weekday = weekday
        self.hour = hour
        self.timeZone = timeZone
    }

    init(reader: ConfigReader) throws {
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        let day = reader.string(forKey: "quota.reset.day", default: "sunday").lowercased()
        guard let index = names.firstIndex(of: day) ?? Int(day).flatMap({ (0..<7).contains($0) ? $0 : nil }) else {
            throw QuotaScheduleError("QUOTA_RESET_DAY must be a weekday name or 0-6, not '\(day)'")
        }
        let hour = reader.int(forKey: "quota.reset.hour", default: 0)
        guard (0..<24).contains(hour) else { throw QuotaScheduleError("QUOTA_RESET_HOUR must be 0-23") }
        let zoneName = reader.string(forKey: "quota.reset.timezone", default: "UTC")
        guard let zone = TimeZone(identifier: zoneName) else {
            throw QuotaScheduleError("QUOTA_RESET_TIMEZONE '\(zoneName)' is not a known time zone")
        }
        self.init(weekday: index + 1, hour: hour, timeZone: zone)
    }

    /// The start of the week that contains `date`: the last reset time at or before it.
    func periodStart(containing date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(hour: hour, minute: 0, second: 0, weekday: weekday)
        if calendar.date(date, matchesComponents: components), calendar.component(.nanosecond, from: date) == 0 {
            return date
        }
        return calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime, direction: .backward)
            ?? date.addingTimeInterval(-7 * 86_400)
    }
}

/// A quota reset setting that cannot be used.
struct QuotaScheduleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
