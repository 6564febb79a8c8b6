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
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if event.level >= .error { merged["source"] = "\(event.file):\(event.line)" }
        var line = JSONLogLine()
        line.field("ts", LogTimestamp.now())
        line.field("level", event.level.rawValue)
        line.field("service", service)
        line.field("logger", label)
        line.field("msg", "\(event.message)")
        for key in merged.keys.sorted() where !Self.ownFields.contains(key) {
            if let value = merged[key] { line.field(key, value) }
        }
        output.write(line.finish())
    }

    /// The record's own fields, which metadata cannot override.
    private static let ownFields: Set<String> = ["ts", "level", "service", "logger", "msg"]
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

    /// Writes one whole line (its newline included).
    func write(_ line: [UInt8]) {
        handle.withLock { handle in
            handle.write(Data(line))
        }
    }
}
