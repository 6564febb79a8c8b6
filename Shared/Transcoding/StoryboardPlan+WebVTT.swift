extension StoryboardPlan {
    /// The WebVTT index: one cue per tile, `storyboard.jpg#xywh=x,y,w,h` (a relative URI), the
    /// last cue ending at `duration`, the output's real end (the planned one when `nil`).
    package func webVTT(endingAt duration: Double? = nil) -> String {
        let durationSeconds = duration ?? self.durationSeconds
        var text = "WEBVTT\n"
        for index in 0..<count {
            let start = Double(index * interval)
            let end = index == count - 1 ? durationSeconds : Double((index + 1) * interval)
            let x = (index % columns) * tileWidth, y = (index / columns) * tileHeight
            text += "\n\(Self.timestamp(start)) --> \(Self.timestamp(max(end, start + 0.001)))\n"
            text += "\(Self.imageName)#xywh=\(x),\(y),\(tileWidth),\(tileHeight)\n"
        }
        return text
    }

    /// `seconds` as a WebVTT timestamp, `hh:mm:ss.ttt`.
    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let hours = milliseconds / 3_600_000, minutes = milliseconds / 60_000 % 60
        let secs = milliseconds / 1000 % 60, millis = milliseconds % 1000
        return "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(secs, 2)).\(pad(millis, 3))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
