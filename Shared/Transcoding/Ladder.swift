/// The rungs a video is encoded to: the standard sizes up to the source and the configured maximum.
package enum Ladder {
    /// The standard rungs, by short side, with the `-maxrate` each is capped at (bits/s).
    package static let standardBudgets: [(shortSide: Int, maxBitrate: Int)] = [
        (360, 1_000_000), (480, 1_600_000), (720, 3_500_000), (1080, 6_000_000), (1440, 10_000_000),
        (2160, 18_000_000),
    ]
    /// A keyframe every this many seconds in every rung, so segments line up across rungs.
    package static let keyframeSeconds = 2
    /// A source between two standard rungs gets its own size as an extra top rung when it is at
    /// least this much larger than the standard rung below (718 over 480: yes; 730 over 720: no).
    static let ownSizeMargin = 1.15

    /// The rungs for `source`, smallest first; see ``rungs(width:height:maxHeight:)``.
    package static func rungs(for source: TranscodeSource, maxHeight: Int) -> [Rung] {
        rungs(width: source.width, height: source.height, maxHeight: maxHeight)
    }

    /// The rungs for a `width`x`height` picture, smallest first.
    ///
    /// The rung number is the short side (portrait video too). Rungs never go above the source
    /// nor above `maxHeight`; a source smaller than every standard rung gets one rung at its own
    /// even size. The long side keeps the aspect ratio, rounded to an even number as 4:2:0 needs.
    package static func rungs(width: Int, height: Int, maxHeight: Int) -> [Rung] {
        let width = max(width, 2), height = max(height, 2)
        let shortSide = min(width, height), longSide = max(width, height)
        let cap = even(min(shortSide, max(maxHeight, 2)))
        var sides = standardBudgets.map(\.shortSide).filter { $0 <= cap }
        if let top = sides.last {
            if cap > top, Double(cap) >= Double(top) * ownSizeMargin { sides.append(cap) }
        } else {
            sides = [cap]
        }
        return sides.map { side in
            let long = max(2, Int((Double(side) * Double(longSide) / Double(shortSide) / 2).rounded()) * 2)
            let budget = maxBitrate(forShortSide: side)
            return Rung(
                shortSide: side, width: width >= height ? long : side, height: width >= height ? side : long,
                maxBitrate: budget, bufferSize: 2 * budget)
        }
    }

    /// The budget of the smallest standard rung at least `side` high (the largest one's above 2160).
    static func maxBitrate(forShortSide side: Int) -> Int {
        (standardBudgets.first { $0.shortSide >= side } ?? standardBudgets[standardBudgets.count - 1]).maxBitrate
    }

    /// `value` rounded down to an even number, at least 2.
    static func even(_ value: Int) -> Int { max(2, value - value % 2) }
}
