import Foundation

/// A temporary folder of a test's files, under the system's temporary directory.
package protocol ScratchFolder {
    /// The folder the files are written to.
    var directory: URL { get }
}

/// Creates an empty folder named `<prefix>-<uuid>` under the system's temporary directory.
package func makeScratchDirectory(prefix: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

extension ScratchFolder {
    /// The absolute path of `name` in the folder.
    package func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Deletes the folder and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The names of the files in the folder, sorted.
    package func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// Whether `name` exists in the folder.
    package func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: path(name))
    }

    /// The bytes of `name`.
    package func bytes(of name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    package func file(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }
}
