import Testing
import Transcoding

/// The ladder's arithmetic: which rungs a source gets and at what sizes and budgets.
@Suite struct LadderTests {
    /// "WxH" of every rung for a source, smallest first.
    func sizes(_ width: Int, _ height: Int, max maxHeight: Int = 2160) -> [String] {
        Ladder.rungs(width: width, height: height, maxHeight: maxHeight).map { "\($0.width)x\($0.height)" }
    }

    @Test func a720pSourceGetsExactly360480And720() {
        #expect(sizes(1280, 720, max: 1080) == ["640x360", "854x480", "1280x720"])
        #expect(Ladder.rungs(width: 1280, height: 720, maxHeight: 1080).map(\.name) == ["360p", "480p", "720p"])
    }

    @Test func a1080pSourceGetsFourRungsUpTo1080() {
        #expect(sizes(1920, 1080, max: 1080) == ["640x360", "854x480", "1280x720", "1920x1080"])
        #expect(sizes(1920, 1080, max: 2160) == ["640x360", "854x480", "1280x720", "1920x1080"], "never above the source")
    }

    @Test func theMaximumCapsTheLadder() {
        #expect(sizes(1920, 1080, max: 720) == ["640x360", "854x480", "1280x720"])
        #expect(sizes(3840, 2160, max: 1440) == ["640x360", "854x480", "1280x720", "1920x1080", "2560x1440"])
        #expect(sizes(3840, 2160, max: 2160).last == "3840x2160")
        #expect(sizes(3840, 2160, max: 2160).count == 6)
        #expect(sizes(2560, 1440, max: 1080).last == "1920x1080")
    }

    @Test func portraitRungsAreNamedByTheirShortSide() {
        let rungs = Ladder.rungs(width: 1080, height: 1920, maxHeight: 1080)
        #expect(rungs.map(\.name) == ["360p", "480p", "720p", "1080p"])
        #expect(rungs.map { "\($0.width)x\($0.height)" } == ["360x640", "480x854", "720x1280", "1080x1920"])
    }

    @Test func aSourceBelow360GetsOneRungAtItsOwnEvenSize() {
        #expect(sizes(320, 240) == ["320x240"])
        #expect(Ladder.rungs(width: 320, height: 240, maxHeight: 1080).map(\.name) == ["240p"])
        #expect(sizes(321, 241) == ["320x240"])
        #expect(sizes(175, 311) == ["174x310"])
        #expect(sizes(1, 1) == ["2x2"])
    }

    @Test func oddSizesKeepTheAspectRatioWithEvenSides() {
        #expect(sizes(1279, 719) == ["640x360", "854x480", "1278x718"], "718 is far enough above 480 for a rung of its own")
        #expect(sizes(1280, 730) == ["632x360", "842x480", "1262x720"], "730 is too close to 720 for one")
        #expect(sizes(1440, 1080).last == "1440x1080")
        #expect(sizes(720, 720) == ["360x360", "480x480", "720x720"])
        for width in stride(from: 200, through: 4000, by: 97) {
            for height in stride(from: 150, through: 3000, by: 89) {
                for rung in Ladder.rungs(width: width, height: height, maxHeight: 2160) {
                    #expect(rung.width % 2 == 0 && rung.height % 2 == 0, "\(width)x\(height) → \(rung)")
                    #expect(min(rung.width, rung.height) <= min(width, height), "\(width)x\(height) → \(rung)")
                    let ratio = Double(rung.width) / Double(rung.height), source = Double(width) / Double(height)
                    #expect(abs(ratio - source) / source < 0.03, "\(width)x\(height) → \(rung)")
                }
            }
        }
    }

    @Test func aMaximumBelow360StillGivesOneRung() {
        #expect(sizes(1920, 1080, max: 240) == ["426x240"])
    }

    @Test func budgetsGrowWithTheRungAndTheBufferHoldsTwoSecondsWorth() {
        let rungs = Ladder.rungs(width: 3840, height: 2160, maxHeight: 2160)
        #expect(rungs.map(\.maxBitrate) == [1_000_000, 1_600_000, 3_500_000, 6_000_000, 10_000_000, 18_000_000])
        #expect(rungs.allSatisfy { $0.bufferSize == 2 * $0.maxBitrate })
        #expect(Ladder.rungs(width: 1279, height: 719, maxHeight: 1080).last?.maxBitrate == 3_500_000)
    }
}
