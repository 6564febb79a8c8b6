import Foundation
import MediaStreaming
import TestSupport
import Testing

/// Untrusted relative paths resolved under a media root, and every way out refused.
@Suite struct ConfinedFolderTests {
    /// A root `media/` with `videos/v1/master.m3u8`, and a secret file beside the root.
    struct Layout {
        let folder: MediaFolder
        let root: ConfinedFolder

        init() throws {
            folder = try MediaFolder()
            let manager = FileManager.default
            try manager.createDirectory(at: folder.directory.appendingPathComponent("media/videos/v1/720p"), withIntermediateDirectories: true)
            try folder.file("media/videos/v1/master.m3u8", bytes: Array("#EXTM3U\n".utf8))
            try folder.file("media/videos/v1/720p/seg 1.m4s", bytes: [1, 2, 3])
            try folder.file("secret.txt", bytes: Array("secret".utf8))
            root = try ConfinedFolder(folder.directory.appendingPathComponent("media"))
        }

        func url(_ path: String) -> URL { folder.directory.appendingPathComponent(path).resolvingSymlinksInPath() }
    }

    @Test func filesInsideTheRootResolveToTheirRealPath() throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        #expect(layout.root.resolve("videos/v1/master.m3u8")?.path == layout.url("media/videos/v1/master.m3u8").path)
        #expect(layout.root.resolve("videos/v1/720p/seg%201.m4s")?.path == layout.url("media/videos/v1/720p/seg 1.m4s").path)
        #expect(layout.root.resolve("videos/v1/...")?.lastPathComponent == "...")
    }

    @Test func aMissingFileResolvesInsideTheRootSoOpeningItIsNotFound() throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        let missing = try #require(layout.root.resolve("videos/v2/none/master.m3u8"))
        #expect(missing.path == layout.root.path + "/videos/v2/none/master.m3u8")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test(arguments: [
        "", "/etc/passwd", "//etc/passwd", "../secret.txt", "videos/../../secret.txt", "videos/v1/../../../secret.txt", "./videos/v1/master.m3u8",
        "videos//v1/master.m3u8", "videos/v1/", "%2e%2e/secret.txt", "%2E%2E/secret.txt", ".%2e/secret.txt", "videos%2f..%2f..%2fsecret.txt",
        "videos%2F..%2F..%2Fsecret.txt", "%252e%252e/secret.txt", "%25252e%25252e/secret.txt", "..%5csecret.txt", "videos\\..\\..\\secret.txt",
        "videos/v1/master.m3u8%00.jpg", "videos/v1/master.m3u8\u{0}.jpg", "%2fetc/passwd", "videos/v1/%", "videos/v1/%zz", "videos/v1/%c0%ae%c0%ae",
        "videos/v1/\n.ts", "..", ".", "%2e",
    ])
    func escapesAndOddPathsAreRefused(path: String) throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        #expect(layout.root.resolve(path) == nil, "\(path.debugDescription)")
    }

    @Test func aSymlinkLeavingTheRootIsRefused() throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/v1/leak.jpg"), withDestinationPath: layout.folder.path("secret.txt"))
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/out"), withDestinationPath: layout.folder.directory.path)
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/v1/relative.jpg"), withDestinationPath: "../../../secret.txt")
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/v1/dangling-out"), withDestinationPath: "/nonexistent-\(UUID())/x")
        for path in ["videos/v1/leak.jpg", "videos/out/secret.txt", "videos/v1/relative.jpg", "videos/out/none.ts", "videos/v1/dangling-out"] {
            #expect(layout.root.resolve(path) == nil, "\(path)")
        }
    }

    @Test func aSymlinkWhoseRealPathIsInsideTheRootIsFollowed() throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/latest"), withDestinationPath: "v1")
        try manager.createSymbolicLink(atPath: layout.folder.path("media/videos/out"), withDestinationPath: layout.folder.directory.path)
        let master = layout.url("media/videos/v1/master.m3u8").path
        #expect(layout.root.resolve("videos/latest/master.m3u8")?.path == master)
        // Out of the root and back in: what counts is where the file really is.
        #expect(layout.root.resolve("videos/out/media/videos/v1/master.m3u8")?.path == master)
    }

    @Test func aRootThatDoesNotExistIsAnError() {
        #expect(throws: (any Error).self) { try ConfinedFolder(URL(fileURLWithPath: "/nonexistent-\(UUID())")) }
    }
}
