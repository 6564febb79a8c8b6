extension Duration {
    /// The duration in seconds, as a `Double` (for SQL intervals, dates and metrics).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
