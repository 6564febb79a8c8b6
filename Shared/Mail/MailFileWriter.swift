import Foundation
import NIOPosix

/// Writes each message as `<timestamp>-<uuid>.eml` into a folder instead of sending it: the
/// development fallback when no `SMTP_URL` is set, so a developer can open the mails.
///
/// A file appears complete or not at all (written under a hidden temporary name, then
/// renamed). The blocking file calls run on a `NIOThreadPool`.
package struct MailFileWriter: MailTransport {
    /// The folder the `.eml` files go to; created when missing.
    package let directory: URL
    private let threadPool: NIOThreadPool

    /// Creates a writer into `directory`.
    package init(directory: URL, threadPool: NIOThreadPool = .singleton) {
        self.directory = directory
        self.threadPool = threadPool
    }

    package func send(_ message: MailMessage) async throws {
        _ = try await write(message)
    }

    /// Writes the message and returns the file's URL; throws ``MailError/Kind/writeFailed``.
    @discardableResult
    package func write(_ message: MailMessage) async throws -> URL {
        let bytes = Data(message.rendered())
        let directory = directory
        return try await threadPool.runIfActive {
            let name = "\(Self.timestamp(Date()))-\(UUID().uuidString.lowercased()).eml"
            let file = directory.appendingPathComponent(name)
            let temporary = directory.appendingPathComponent(".\(name).tmp")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try bytes.write(to: temporary)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw MailError(.writeFailed, "cannot write \(temporary.path): \(error)")
            }
            guard rename(temporary.path, file.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw MailError(.writeFailed, "cannot rename \(temporary.path) to \(name): \(reason)")
            }
            return file
        }
    }

    /// `20261123T225832.123Z`: sorts by time, safe in any file system.
    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }
}
