import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport
import Tus

/// A real tus client (PyPI's tuspy) against a live server: creation, chunked PATCHes with
/// sha1 checksums, and a resume from the offset a HEAD reports.
@Suite struct TusInteropTests {
    /// The client's script: upload part of the file, then resume it with a second uploader
    /// that knows only the URL, as a client does after a dropped connection.
    static let script = #"""
        import sys
        from tusclient import client

        url, path, out = sys.argv[1:4]
        tus = client.TusClient(url, headers={"X-Test-User": "alice"})
        first = tus.uploader(file_path=path, chunk_size=64 * 1024, upload_checksum=True,
                             metadata={"title": "Interop", "filename": "clip.mp4"})
        first.upload(stop_at=100 * 1024)
        second = tus.uploader(file_path=path, url=first.url, chunk_size=100 * 1024, upload_checksum=True)
        assert second.offset == first.offset, (second.offset, first.offset)
        second.upload()
        with open(out, "w") as f:
            f.write(first.url)
        """#

    /// Whether `python3` can import tuspy's `tusclient`.
    static func tuspyInstalled() async -> Bool {
        (try? await ChildProcess.run("/usr/bin/env", ["python3", "-c", "import tusclient"])) == 0
    }

    @Test(.enabled("tuspy is not installed (pip install tuspy); skipping the interoperability test") {
        await tuspyInstalled()
    })
    func tuspyUploadsAndResumesAFile() async throws {
        let harness = try TusHarness()
        defer { harness.remove() }
        let bytes = payload(300_000)
        let source = try harness.file("source.bin", bytes: bytes)
        let script = try harness.file("upload.py", bytes: Array(Self.script.utf8))
        try await harness.app().test(.live) { client in
            let port = try #require(client.port)
            let status = try await ChildProcess.run(
                "/usr/bin/env",
                ["python3", script, "http://localhost:\(port)/api/uploads/", source, harness.path("url.txt")],
                standardErrorPath: harness.path("stderr.txt"))
            let stderr = (try? String(contentsOfFile: harness.path("stderr.txt"), encoding: .utf8)) ?? ""
            #expect(status == 0, "tuspy failed: \(stderr)")
            let url = try String(contentsOfFile: harness.path("url.txt"), encoding: .utf8)
            #expect(url.hasPrefix("http://localhost:\(port)/api/uploads/"))
            let completion = try #require(harness.hooks.completions.first)
            #expect(harness.hooks.completions.count == 1)
            #expect(completion.id.apiString == url.uploadID)
            #expect(completion.title == "Interop")
            #expect(try harness.video(url.uploadID) == bytes)
        }
    }
}
