/// The 10-character public id of a video or a playlist (API §4.6): drawn uniformly from the 62
/// symbols `0-9a-zA-Z` with the system's cryptographic generator; case-sensitive.
package enum ShortID {
    package static let length = 10
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// A new id; uniqueness is the database's unique index (callers retry on a clash).
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `text` can be a short id, so a malformed one is a plain 404 without a query.
    package static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
