/// The storyboard sprite: one small frame every ``interval`` seconds, in a grid of at most
/// ``maxColumns`` columns, with a WebVTT index a player uses for scrubbing previews.
package struct StoryboardPlan: Sendable, Equatable {
    /// The sprite's file name in the work folder.
    package static let imageName = "storyboard.jpg"
    /// The WebVTT index's file name in the work folder.
    package static let indexName = "storyboard.vtt"
    /// The width of every tile.
    package static let tileWidth = 160
    package static let maxColumns = 10
    /// A long video gets a longer interval so the sprite stays under this many tiles.
    package static let maxTiles = 100
    /// The shortest interval: finer tiles add little for scrubbing.
    package static let minInterval = 2

    /// Seconds between tiles.
    package let interval: Int
    /// Tiles in the sprite, covering the whole duration.
    package let count: Int
    package let columns: Int
    package let rows: Int
    package let tileWidth: Int
    package let tileHeight: Int
    /// The duration the cues cover.
    package let durationSeconds: Double

    /// The plan for a video of `durationSeconds` whose frames are `width`x`height`.
    package init(durationSeconds: Double, width: Int, height: Int) {
        // A week caps what a corrupt duration could make of the arithmetic; the probe refuses far less.
        let duration = durationSeconds.isFinite ? min(max(durationSeconds, 0.04), 7 * 86_400) : 0.04
        interval = max(Self.minInterval, Int((duration / Double(Self.maxTiles)).rounded(.up)))
        count = max(1, Int((duration / Double(interval)).rounded(.up)))
        columns = min(count, Self.maxColumns)
        rows = (count + columns - 1) / columns
        tileWidth = Self.tileWidth
        tileHeight = Ladder.even(Int((Double(Self.tileWidth) * Double(max(height, 2)) / Double(max(width, 2))).rounded()))
        self.durationSeconds = duration
    }

    /// The sprite's size in pixels.
    package var spriteWidth: Int { columns * tileWidth }
    package var spriteHeight: Int { rows * tileHeight }
}
