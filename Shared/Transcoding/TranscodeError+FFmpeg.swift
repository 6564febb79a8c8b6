extension TranscodeError {
    /// ffmpeg's words when memory ran out under the address-space limit: ENOMEM, x264's and the
    /// loader's messages, a thread that could not get its stack.
    static let memoryMarkers = [
        "cannot allocate memory", "failed to map segment", "bad_alloc", "out of memory", "malloc of size",
        "pthread_create", "resource temporarily unavailable",
    ]
    /// Writing the outputs failed: the worker's disk, not the video.
    static let outputMarkers = ["no space left on device", "read-only file system", "disk quota exceeded"]
    /// The encoder could not be opened or broke: no GPU, no driver, bad settings.
    static let encoderMarkers = [
        "nvenc", "cuda", "error while opening encoder", "error initializing output stream", "unknown encoder",
        "encoder not found", "error submitting video frame", "error encoding",
    ]

    /// The error for an ffmpeg run that ended badly.
    ///
    /// ffmpeg exits with 1 for almost everything, so its last error lines decide: memory first
    /// (an allocation failure often surfaces as "error while opening encoder"), then the disk,
    /// then the encoder; whatever is left is the input's fault, because the arguments are ours
    /// and were tested.
    ///
    /// - Parameters:
    ///   - signalled: ffmpeg was killed by a signal we did not send (the OOM killer, an abort).
    ///   - errorLines: ffmpeg's last lines on standard error.
    ///   - memoryLimited: whether the run had an address-space limit.
    static func classify(signalled: Bool, exitDescription: String, errorLines: [String], memoryLimited: Bool) -> TranscodeError {
        let detail = condensed(errorLines, ending: exitDescription)
        let text = errorLines.joined(separator: "\n").lowercased()
        func mentions(_ markers: [String]) -> Bool { markers.contains { text.contains($0) } }
        if mentions(memoryMarkers) || (signalled && memoryLimited) { return .outOfMemory(detail) }
        if mentions(outputMarkers) { return .encoderFailed(detail) }
        if mentions(encoderMarkers) || signalled { return .encoderFailed(detail) }
        return .undecodable(detail)
    }

    /// The longest ``detail`` kept from ffmpeg's output.
    static let maxDetailLength = 2000

    /// The last lines, joined, cut from the front to ``maxDetailLength``, with how ffmpeg ended.
    static func condensed(_ lines: [String], ending: String) -> String {
        let text = (lines + [ending]).joined(separator: " | ")
        return text.count > maxDetailLength ? "…" + String(text.suffix(maxDetailLength - 1)) : text
    }
}
