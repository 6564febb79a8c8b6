/// Reads ffmpeg's `-progress` output (`key=value` lines, a block every half second) into a
/// percentage of the expected duration.
struct FFmpegProgress: Sendable {
    /// The duration the percentage is measured against, in microseconds.
    let expectedMicroseconds: Double
    /// The furthest output time reported so far, in microseconds.
    private(set) var outTimeMicroseconds: Int64 = 0

    init(expectedSeconds: Double) {
        // A missing or absurd duration must not trap in the arithmetic below.
        expectedMicroseconds = expectedSeconds.isFinite && expectedSeconds > 0.001 ? expectedSeconds * 1_000_000 : 1000
    }

    /// Takes one line; returns the percentage (0...99) when it moves the output time forward.
    ///
    /// 100 is never returned here: only a run that finished and passed its checks is complete.
    /// `out_time_ms` is, despite its name, also in microseconds; `N/A` appears before the first frame.
    mutating func consume(_ line: some StringProtocol) -> Int? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals]
        guard key == "out_time_us" || key == "out_time_ms",
            let value = Int64(String(line[line.index(after: equals)...].filter { !$0.isWhitespace })), value > outTimeMicroseconds
        else { return nil }
        outTimeMicroseconds = value
        return Int(min(99, max(0, Double(value) / expectedMicroseconds * 100)))
    }

    /// The output's duration as ffmpeg reported it, in seconds.
    var outTimeSeconds: Double { Double(outTimeMicroseconds) / 1_000_000 }
}
