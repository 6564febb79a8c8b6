import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard output.
///
/// Fields: `ts` (RFC 3339 with milliseconds), `level`, `service`, `logger`,
/// `msg`, then every metadata key as it is (dotted keys such as `request.id`
/// stay flat, so log tools can filter on them).
package struct JSONLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let service: String
    private let output: JSONLogOutput

    package init(label: String, service: String, level: Logger.Level, output: JSONLogOutput = .standardOutput) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.output = output
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var fields: [String: Any] = [
            "ts": Self.timestamp(),
            "level": event.level.rawValue,
            "service": service,
            "logger": label,
            "msg": "\(event.message)",
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged where fields[key] == nil {
            fields[key] = Self.jsonValue(value)
        }
        if event.level >= .error { fields["source"] = "\(event.file):\(event.line)" }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        output.write(data)
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(jsonValue)
        case .dictionary(let dictionary): return dictionary.mapValues(jsonValue)
        }
    }

    private static func timestamp() -> String {
        Date.now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Where JSON log lines go; whole lines are written under a lock so lines from
/// concurrent tasks never interleave.
package final class JSONLogOutput: Sendable {
    private let handle: Mutex<FileHandle>

    package init(handle: FileHandle) {
        self.handle = Mutex(handle)
    }

    /// Standard output, the twelve-factor place for logs.
    package static let standardOutput = JSONLogOutput(handle: .standardOutput)

    func write(_ line: Data) {
        handle.withLock { handle in
            var data = line
            data.append(0x0A)
            handle.write(data)
        }
    }
}
