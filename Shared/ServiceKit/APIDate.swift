import Foundation

/// The one datetime format of Clipset's HTTP API: ISO 8601 in UTC with
/// microseconds and a `Z`, e.g. `2026-11-23T05:46:04.622191Z` (the original's shape).
package enum APIDate {
    /// Formats `date`, rounded to the microsecond.
    package static func string(from date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        let fraction = Int(micros - seconds * 1_000_000)
        let whole = Date(timeIntervalSince1970: seconds).formatted(wholeSeconds)
        let digits = String(fraction)
        return "\(whole.dropLast()).\(String(repeating: "0", count: 6 - digits.count))\(digits)Z"
    }

    /// Parses an ISO 8601 timestamp with or without fractional seconds.
    package static func date(from text: String) -> Date? {
        if let date = try? fractional.parse(text) { return date }
        return try? wholeSeconds.parse(text)
    }

    private static let wholeSeconds = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// The JSON encoder and decoder of every response and request body.
package enum APIJSON {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(APIDate.string(from: date))
        }
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = APIDate.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Input should be a valid datetime")
            }
            return date
        }
        return decoder
    }
}

extension UUID {
    /// The lower-case form the API uses for ids (Foundation's `uuidString` is upper-case).
    package var apiString: String { uuidString.lowercased() }
}
