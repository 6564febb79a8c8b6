import Foundation

/// Bit rates written the way ffmpeg reads them: "192k", "8M", "1.5M", "800000".
enum Bitrate {
    /// The bits per second `text` stands for, or `nil` if it is not a positive bit rate.
    static func bitsPerSecond(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "g": 1e9, "G": 1e9]
        var multiplier = 1.0
        if let last = digits.last, let suffix = multipliers[last] {
            multiplier = suffix
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value > 0, value.isFinite else { return nil }
        return Int((value * multiplier).rounded())
    }

    /// `bits` in ffmpeg's notation, in kilobits when it is a whole number of them.
    static func ffmpegNotation(_ bits: Int) -> String {
        bits % 1000 == 0 ? "\(bits / 1000)k" : "\(bits)"
    }
}
