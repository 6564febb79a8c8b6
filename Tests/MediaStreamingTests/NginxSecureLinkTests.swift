#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MediaStreaming
import NIOCore
import NIOPosix
import TestSupport
import Testing

/// Debian's nginx, built with `ngx_http_secure_link_module`.
private let nginxExecutable = "/usr/sbin/nginx"

/// URLs signed in `nginx` mode, checked by a real nginx with the `location` block from
/// ``MediaURLSigner``'s documentation (skipped where nginx is not installed).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: nginxExecutable)))
struct NginxSecureLinkTests {
    static let nginx = nginxExecutable
    static let secret = "n0t-so-s3cret-value"

    /// The documented `location`, with the media root and the secret filled in.
    static func location(root: String) -> String {
        #"""
        location ~ ^/media/s/([A-Za-z0-9_-]+),([0-9]+)(/videos/([A-Za-z0-9_-]+)/)(.+)$ {
            secure_link $1,$2;
            secure_link_md5 "$2$3 \#(secret)";
            if ($secure_link = "")  { return 403; }
            if ($secure_link = "0") { return 410; }
            alias \#(root)/videos/$4/$5;
        }
        """#
    }

    @Test func nginxAcceptsAndRefusesWhatTheSignerDoes() async throws {
        let folder = try MediaFolder()
        defer { folder.remove() }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.directory.appendingPathComponent("media/videos/vid42/720p"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.directory.appendingPathComponent("media/videos/vid43"), withIntermediateDirectories: true)
        let master = try folder.randomFile("media/videos/vid42/master.m3u8", count: 300)
        let segment = try folder.randomFile("media/videos/vid42/720p/seg_001.m4s", count: 70_000)
        try folder.randomFile("media/videos/vid43/master.m3u8", count: 10)

        let signer = try MediaURLSigner(mode: .nginx, keys: [MediaSigningKey(id: "main", secret: Self.secret)])
        let now = Date()
        let signed = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: now)
        let folderPath = String(signed.dropLast("master.m3u8".count))
        let expired = signer.signedPath(videoID: "vid42", file: "master.m3u8", now: now.addingTimeInterval(-86_400))
        var tampered = signed
        tampered.replaceSubrange(tampered.index(tampered.startIndex, offsetBy: 9)...tampered.index(tampered.startIndex, offsetBy: 9), with: signed.dropFirst(9).first == "A" ? "B" : "A")

        let port = try await Self.freePort()
        let server = try Self.start(folder: folder, port: port)
        // SIGKILL: the test process's blocked signal mask is inherited, so nginx would never see a SIGTERM.
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(try await eventually(timeout: .seconds(10)) { (try? await Self.get(port: port, path: "/")) != nil })

        let cases: [(path: String, status: Int, body: [UInt8]?)] = [
            (signed, 200, master),
            (folderPath + "720p/seg_001.m4s", 200, segment),
            (tampered, 403, nil),
            (expired, 410, nil),
            (signed.replacingOccurrences(of: "/vid42/", with: "/vid43/"), 403, nil),
            (folderPath + "../vid43/master.m3u8", 403, nil),
            (folderPath + "%2e%2e/vid43/master.m3u8", 403, nil),
        ]
        for (path, status, body) in cases {
            let (gotStatus, gotBody) = try await Self.get(port: port, path: path)
            #expect(gotStatus == status, "\(path)")
            if let body { #expect(gotBody == body, "\(path)") }
        }
        // The service's own check agrees where nginx has not rewritten the path.
        #expect(try signer.verify(path: signed, now: now).videoID == "vid42")
        #expect(throws: MediaURLRefusal.badSignature) { try signer.verify(path: tampered, now: now) }
        #expect(throws: MediaURLRefusal.expired) { try signer.verify(path: expired, now: now) }
    }

    /// Starts nginx in the foreground with a minimal configuration in `folder`.
    static func start(folder: MediaFolder, port: Int) throws -> Process {
        let dir = folder.directory.path
        let configuration = """
            daemon off;
            master_process off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                server {
                    listen 127.0.0.1:\(port);
            \(location(root: dir + "/media"))
                }
            }
            """
        try folder.file("nginx.conf", bytes: Array(configuration.utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", dir, "-e", dir + "/error.log", "-c", dir + "/nginx.conf"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A TCP port nobody listens on right now.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        return try #require(channel.localAddress?.port)
    }

    /// The status and body of `GET path` (sent as is, without normalising it) over a fresh connection.
    static func get(port: Int, path: String) async throws -> (Int, [UInt8]) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let response = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            var bytes: [UInt8] = []
            for try await chunk in inbound { bytes += Array(buffer: chunk) }
            return bytes
        }
        let headerEnd = try #require(response.firstRange(of: Array("\r\n\r\n".utf8)))
        let statusLine = String(decoding: response[..<headerEnd.lowerBound], as: UTF8.self).prefix(while: { $0 != "\r" })
        let status = try #require(Int(statusLine.split(separator: " ")[1]))
        return (status, Array(response[headerEnd.upperBound...]))
    }
}
