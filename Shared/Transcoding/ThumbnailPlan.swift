/// The poster frame: the frame at 1 s (the first frame of a shorter video), 640 pixels wide.
package struct ThumbnailPlan: Sendable, Equatable {
    /// The poster's file name in the work folder.
    package static let imageName = "thumbnail.jpg"
    package static let width = 640
    /// Where the poster is taken from, for a video long enough.
    package static let preferredTime = 1.0

    /// Seconds from the start of the video.
    package let time: Double
    package let width: Int
    /// The height that keeps the aspect ratio, even.
    package let height: Int

    /// The plan for a video of `durationSeconds` whose frames are `width`x`height`.
    package init(durationSeconds: Double, width: Int, height: Int) {
        time = durationSeconds > Self.preferredTime ? Self.preferredTime : 0
        self.width = Self.width
        self.height = Ladder.even(Int((Double(Self.width) * Double(max(height, 2)) / Double(max(width, 2))).rounded()))
    }
}
