import Foundation

/// One versioned change to a schema.
///
/// A migration belongs to a component: the service itself (`auth`) or a shared
/// module whose tables every service carries (`messaging` for the outbox and
/// inbox). Versions are ordered within a component.
package struct Migration: Sendable, Equatable {
    package var component: String
    package var version: Int
    package var name: String
    package var sql: String

    package init(component: String, version: Int, name: String, sql: String) {
        self.component = component
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable fingerprint of the SQL, so an edited migration that was already
    /// applied is noticed instead of silently diverging.
    package var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// Loads `NNNN_name.sql` files of a folder (a service's `Migrations` resource).
    package static func load(component: String, directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        return try files.filter { $0.pathExtension == "sql" }.map { file in
            let stem = file.deletingPathExtension().lastPathComponent
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard let version = parts.first.flatMap({ Int($0) }), parts.count == 2 else {
                throw DatabaseConfigurationError(message: "migration file \(file.lastPathComponent) is not named NNNN_name.sql")
            }
            let sql = try String(contentsOf: file, encoding: .utf8)
            return Migration(component: component, version: version, name: String(parts[1]), sql: sql)
        }.sorted { $0.version < $1.version }
    }
}
