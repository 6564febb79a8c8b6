#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// One TCP connection that writes a request piece by piece, for what a test client cannot do:
/// hold a body half-sent, or drop the connection in the middle of it.
struct RawHTTPConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects, runs `body`, and closes the connection when `body` returns, whatever the
    /// request's state: returning early is how a test drops a connection.
    static func open<T>(port: Int, _ body: (inout RawHTTPConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "localhost", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawHTTPConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    /// The head of a tus PATCH of `length` bytes at `offset`.
    static func patchHead(path: String, user: String, offset: Int64, length: Int) -> String {
        "PATCH \(path) HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\nX-Test-User: \(user)\r\n"
            + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: \(offset)\r\nContent-Length: \(length)\r\n\r\n"
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Reads until the end of a response head and returns its status code.
    mutating func readStatus() async throws -> Int {
        var received = ""
        while !received.contains("\r\n\r\n"), let chunk = try await inbound.next() {
            received += String(buffer: chunk)
        }
        let statusLine = received.split(separator: "\r\n").first ?? ""
        return Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// A lock on an upload's data file taken as another replica would take it: its own open
/// file and `flock`.
final class ForeignLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw LockFailure(code: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw LockFailure(code: errno)
        }
    }

    func release() {
        close(descriptor)
    }

    struct LockFailure: Error { let code: Int32 }
}
