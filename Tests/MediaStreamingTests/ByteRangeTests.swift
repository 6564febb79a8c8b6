import MediaStreaming
import Testing

/// `Range` header parsing and evaluation on their own (RFC 9110 §14.1-14.2).
@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-499", [ByteRange.from(0, through: 499)]),
        ("bytes=500-", [.from(500, through: nil)]),
        ("bytes=-500", [.suffix(500)]),
        ("BYTES=1-2, 4-", [.from(1, through: 2), .from(4, through: nil)]),
        ("bytes=0-0,-1", [.from(0, through: 0), .suffix(1)]),
        ("bytes=99999999999999999999-", [.from(.max, through: nil)]),
    ])
    func wellFormedHeadersParse(header: String, expected: [ByteRange]) {
        #expect(ByteRange.parse(header: header) == expected)
    }

    @Test(arguments: ["", "bytes", "bytes=", "bytes=x-1", "bytes=1-x", "bytes=-", "bytes=1--2", "bytes=--1", "pages=1-2", "bytes=1 -2", "bytes=١-٢"])
    func malformedHeadersDoNotParse(header: String) {
        #expect(ByteRange.parse(header: header) == nil)
    }

    @Test(arguments: [
        (ByteRange.from(0, through: 0), 10 as Int64, 0...0 as ClosedRange<Int64>?),
        (.from(5, through: 100), 10, 5...9),
        (.from(9, through: nil), 10, 9...9),
        (.from(10, through: nil), 10, nil),
        (.from(6, through: 5), 10, nil),
        (.suffix(3), 10, 7...9),
        (.suffix(30), 10, 0...9),
        (.suffix(0), 10, nil),
        (.from(0, through: nil), 0, nil),
        (.suffix(1), 0, nil),
    ])
    func rangesResolveAgainstTheSize(range: ByteRange, size: Int64, expected: ClosedRange<Int64>?) {
        #expect(range.resolved(size: size) == expected)
    }

    @Test func selectionCoalescesSortsAndLimits() {
        #expect(RangeSelection(header: nil, size: 10) == .whole)
        #expect(RangeSelection(header: "bytes=oops", size: 10) == .whole)
        #expect(RangeSelection(header: "bytes=10-", size: 10) == .unsatisfiable)
        #expect(RangeSelection(header: "bytes=900-999,0-9", size: 1000) == .ranges([0...9, 900...999]))
        #expect(RangeSelection(header: "bytes=0-9,5-20,-1", size: 1000) == .ranges([0...20, 999...999]))
        let many = "bytes=" + (0..<RangeSelection.maximumParts).map { "\($0 * 1000)-\($0 * 1000)" }.joined(separator: ",")
        guard case .ranges(let parts) = RangeSelection(header: many, size: 100_000) else {
            Issue.record("expected ranges")
            return
        }
        #expect(parts.count == RangeSelection.maximumParts)
        #expect(RangeSelection(header: many + ",99000-99000", size: 100_000) == .whole)
    }
}

/// Media types by file extension.
@Suite struct MediaContentTypeTests {
    @Test(arguments: [
        ("master.m3u8", "application/vnd.apple.mpegurl"),
        ("720p/seg_001.m4s", "video/iso.segment"),
        ("abc.mp4", "video/mp4"),
        ("segment000.ts", "video/mp2t"),
        ("thumb.JPG", "image/jpeg"),
        ("storyboard.vtt", "text/vtt"),
        ("sprite.webp", "image/webp"),
    ])
    func knownExtensions(name: String, type: String) {
        #expect(MediaContentType.forFile(name) == type)
    }

    @Test(arguments: ["passwd", "notes.txt", ".mp4", "video.mp4/", "m3u8"])
    func otherFilesHaveNoMediaType(name: String) {
        #expect(MediaContentType.forFile(name) == nil)
    }
}
