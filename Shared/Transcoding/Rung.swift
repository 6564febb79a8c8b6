/// One rendition of the ladder: its size and the bit rate budget that caps its CRF/CQ.
package struct Rung: Sendable, Equatable, CustomStringConvertible {
    /// The short side in pixels, which names the rung ("720p" for 1280x720 and for 720x1280).
    package var shortSide: Int
    package var width: Int
    package var height: Int
    /// The encoder's `-maxrate`, in bits/s.
    package var maxBitrate: Int
    /// The encoder's `-bufsize` (VBV buffer), in bits.
    package var bufferSize: Int

    package init(shortSide: Int, width: Int, height: Int, maxBitrate: Int, bufferSize: Int) {
        self.shortSide = shortSide
        self.width = width
        self.height = height
        self.maxBitrate = maxBitrate
        self.bufferSize = bufferSize
    }

    /// The rung's folder and HLS variant name, e.g. "720p".
    package var name: String { "\(shortSide)p" }

    package var description: String { "\(name) \(width)x\(height) ≤\(maxBitrate / 1000)k" }
}
