/// What one transcode may use of the machine.
package struct TranscodeLimits: Sendable, Equatable {
    /// A memory limit that fits a 1080p ladder with room to spare (see ``memoryBytes``).
    package static let recommendedMemoryBytes = 3 << 30

    /// After this, ffmpeg is killed and the transcode fails with ``TranscodeError/Code/timedOut``.
    package var wallTime: Duration
    /// ffmpeg's address-space limit (`prlimit --as`), or `nil` for none. Address space, not
    /// resident memory: thread stacks and malloc arenas count in full, see
    /// ``recommendedMemoryBytes``.
    package var memoryBytes: Int?
    /// ffmpeg's `-threads` for the decoder, the filters and each encoder, or `nil` for its default.
    package var threads: Int?

    package init(wallTime: Duration, memoryBytes: Int? = recommendedMemoryBytes, threads: Int? = nil) {
        self.wallTime = wallTime
        self.memoryBytes = memoryBytes
        self.threads = threads
    }
}
