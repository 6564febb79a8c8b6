/// Passes percentages to the caller's callback only when the integer grows, so the caller sees a
/// monotonic sequence across a fallback run that starts again from zero.
actor ProgressReporter {
    private let callback: @Sendable (Int) async -> Void
    private var last = -1

    init(_ callback: @escaping @Sendable (Int) async -> Void) {
        self.callback = callback
    }

    /// Reports `percent` (clamped to 0...100) if it is above every value reported before.
    func report(_ percent: Int) async {
        let percent = min(100, max(0, percent))
        guard percent > last else { return }
        last = percent
        await callback(percent)
    }
}
