import Foundation

/// Why an image could not be rendered; ``description`` is short enough to log or show.
package struct ImageProcessingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that map errors to responses.
    package enum Kind: String, Sendable, Equatable {
        /// The file is not an image of a supported format, is damaged, or is too large to decode.
        case invalidImage
        /// ffmpeg took longer than the renderer's time limit and was killed.
        case timedOut
        /// ffmpeg could not be started (missing, not executable).
        case ffmpegUnavailable
    }

    /// The longest ffmpeg message kept in ``message``.
    static let maxMessageLength = 300

    package let kind: Kind
    /// A short message for a person: what failed and, for an invalid image, ffmpeg's words.
    package let message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }

    /// The file's first bytes are not those of JPEG, PNG, GIF, WebP or BMP.
    static let unsupportedFormat = ImageProcessingError(
        .invalidImage, "The file is not a JPEG, PNG, GIF, WebP or BMP image.")

    /// ffmpeg refused the file; its error output, condensed, says why.
    static func invalidImage(ffmpegOutput: String) -> ImageProcessingError {
        let reason = condensed(ffmpegOutput)
        return ImageProcessingError(
            .invalidImage, reason.isEmpty ? "The image could not be decoded." : "The image could not be decoded: \(reason)")
    }

    /// ffmpeg's lines without the `[png @ 0x55d0c0ffee00] ` prefixes (addresses differ per run),
    /// duplicates dropped, joined and cut to ``maxMessageLength`` characters.
    static func condensed(_ output: String) -> String {
        var seen = Set<String>()
        let lines = output.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            var text = Substring(line)
            while text.hasPrefix("["), let end = text.firstIndex(of: "]") {
                text = text[text.index(after: end)...].drop { $0 == " " }
            }
            let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t."))
            guard !trimmed.isEmpty, seen.insert(trimmed).inserted else { return nil }
            return trimmed
        }
        let joined = lines.joined(separator: "; ")
        return joined.count > maxMessageLength ? String(joined.prefix(maxMessageLength - 1)) + "…" : joined
    }
}
