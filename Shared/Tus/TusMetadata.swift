import Foundation

/// The `Upload-Metadata` of an upload: unique keys with binary values, e.g. the video's
/// `title`, `description` and `category_id` as UTF-8.
package struct TusMetadata: Codable, Sendable, Equatable {
    /// The decoded values by key.
    package private(set) var values: [String: Data]

    package init(_ values: [String: Data] = [:]) {
        self.values = values
    }

    /// The value of `key` as UTF-8 text; nil when absent or not UTF-8.
    package subscript(key: String) -> String? {
        values[key].flatMap { String(data: $0, encoding: .utf8) }
    }

    /// Parses the header: comma-separated pairs `key base64value` (the value and its space
    /// may be left out), keys unique and made of visible ASCII, values strict base64.
    /// Returns nil for anything else.
    package init?(header: String) {
        var values: [String: Data] = [:]
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            self.init()
            return
        }
        for pair in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let key = parts.first, Self.isValidKey(key), values[String(key)] == nil
            else { return nil }
            if parts.count == 2 {
                guard let value = Data(base64Encoded: String(parts[1])) else { return nil }
                values[String(key)] = value
            } else {
                values[String(key)] = Data()
            }
        }
        self.init(values)
    }

    /// The header form, keys sorted so it is the same on every HEAD.
    package var header: String {
        values.keys.sorted().map { key in
            let value = values[key] ?? Data()
            return value.isEmpty ? key : "\(key) \(value.base64EncodedString())"
        }.joined(separator: ",")
    }

    /// Visible ASCII without commas (spaces split pairs already), never empty.
    private static func isValidKey(_ key: Substring) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") }
    }
}
