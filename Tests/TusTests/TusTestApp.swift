import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceKit
import Synchronization
import TestSupport
import Tus

/// The context of the test app: the user is whoever the `X-Test-User` header names, as the
/// service's authentication middleware would set it from a token.
struct TusTestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var user: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Stands in for the service's authentication.
struct TestAuthentication: RouterMiddleware {
    static let user = HTTPField.Name("X-Test-User")!

    func handle(
        _ request: Request, context: TusTestContext, next: (Request, TusTestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.user = request.headers[Self.user]
        return try await next(request, context)
    }
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// The hooks a service would give, recording what they were asked.
final class TestHooks: TusHooks, Sendable {
    /// One call of `completed`.
    struct Completion: Equatable {
        var id: UUID
        var length: Int64
        var sha256: String
        var title: String?
    }

    struct State {
        /// Bytes the user may still upload (the service's quota).
        var quotaLeft: Int64 = .max
        /// How many of the next `completed` calls throw.
        var failingCompletions = 0
        var completions: [Completion] = []
        var authorizations = 0
    }

    private let state = Mutex(State())
    /// Where `completed` moves finished files, as the service moves them into its videos folder.
    let videos: URL

    init(videos: URL) {
        self.videos = videos
    }

    var completions: [Completion] { state.withLock { $0.completions } }
    var authorizations: Int { state.withLock { $0.authorizations } }

    /// Lets the user upload at most `bytes` more.
    func setQuota(_ bytes: Int64) { state.withLock { $0.quotaLeft = bytes } }

    /// Makes the next `count` completions throw, as a service whose database is down.
    func failNextCompletions(_ count: Int) { state.withLock { $0.failingCompletions = count } }

    func owner(of context: TusTestContext) throws -> String {
        guard let user = context.user else { throw APIError(.unauthorized, "Not authenticated") }
        return user
    }

    func authorizeCreate(length: Int64, metadata: TusMetadata, context: TusTestContext) async throws {
        let allowed = state.withLock { state in
            state.authorizations += 1
            return length <= state.quotaLeft
        }
        guard allowed else { throw APIError(.forbidden, "Upload would exceed weekly quota") }
    }

    func completed(_ upload: TusUpload, path: String, context: TusTestContext) async throws -> HTTPFields {
        let fail = state.withLock { state in
            guard state.failingCompletions > 0 else { return false }
            state.failingCompletions -= 1
            return true
        }
        if fail { throw APIError.unavailable("The video could not be registered") }
        let target = videos.appendingPathComponent("\(upload.id.apiString).mp4")
        try FileManager.default.moveItem(atPath: path, toPath: target.path)
        let digest = sha256Hex(Array(try Data(contentsOf: target)))
        state.withLock {
            $0.completions.append(Completion(id: upload.id, length: upload.length, sha256: digest, title: upload.metadata["title"]))
        }
        return [TusTestHeader.videoID: upload.id.apiString, .location: "/api/videos/\(upload.id.apiString)"]
    }
}

/// Headers the tests read that tus does not define.
enum TusTestHeader {
    static let videoID = HTTPField.Name("X-Video-Id")!
}

/// A scratch folder with a tus endpoint over it, the hooks and the clock it was built with.
struct TusHarness: ScratchFolder {
    let directory: URL
    let clock = TestClock()
    let hooks: TestHooks
    let controller: TusController<TusTestContext>

    /// - Parameters:
    ///   - chunkSize: small by default, so a body of a few hundred KiB takes several writes.
    init(maxSize: Int64 = 8 * 1024 * 1024, chunkSize: Int = 16 * 1024) throws {
        directory = try makeScratchDirectory(prefix: "tus-tests")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("videos"), withIntermediateDirectories: true)
        hooks = TestHooks(videos: directory.appendingPathComponent("videos"))
        let clock = clock
        controller = TusController(
            configuration: TusConfiguration(
                directory: directory.appendingPathComponent("temp/tus").path, maxSize: maxSize,
                chunkSize: chunkSize, now: { clock.now }),
            hooks: hooks, logger: Logger(label: "tus-tests"))
    }

    /// The folder of the uploads.
    var uploads: String { path("temp/tus") }

    /// The names in the uploads folder, sorted (none when it was never made).
    func uploadFiles() throws -> [String] {
        guard FileManager.default.fileExists(atPath: uploads) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: uploads).sorted()
    }

    /// The bytes of the video the completion hook made of `id`.
    func video(_ id: String) throws -> [UInt8] {
        try bytes(of: "videos/\(id).mp4")
    }

    /// An application with the API's error middleware and the endpoint at `/api/uploads`.
    func app() -> some ApplicationProtocol {
        let router = Router(context: TusTestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: TestAuthentication())
        controller.addDiscoveryRoutes(to: router.group("api/uploads"))
        controller.addRoutes(to: router.group("api/uploads"))
        var logger = Logger(label: "tus-tests")
        logger.logLevel = .warning
        return Application(router: router, logger: logger)
    }
}

/// The lower-case hex SHA-256 of `bytes`.
func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

/// `count` bytes that differ from one offset to the next, so a byte out of place shows.
func payload(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
