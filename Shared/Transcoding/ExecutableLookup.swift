import Foundation

/// Finds an executable the way a shell would, so a missing one is reported before anything runs.
enum ExecutableLookup {
    /// The absolute path of `name`: itself if it holds a slash, else the first match in `PATH`
    /// (or the usual system folders when `PATH` is unset); `nil` when there is no executable file.
    static func resolve(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fileManager = FileManager.default
        if name.contains("/") {
            let absolute = URL(fileURLWithPath: name).standardizedFileURL.path
            return fileManager.isExecutableFile(atPath: absolute) ? absolute : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.lazy.map { "\($0)/\(name)" }.first { fileManager.isExecutableFile(atPath: $0) }
    }
}
