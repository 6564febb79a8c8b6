import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// `GET /api/events`: the caller's live stream (Server-Sent Events) of their own
/// videos: `video.status` / `video.deleted` (numbered; a reconnect with `Last-Event-ID`
/// gets the ones it missed, kept for `live.retention.hours`), `video.progress` (transient)
/// and a keep-alive comment every `live.heartbeat.seconds`. The stream ends when the
/// caller's token expires or the process shuts down; clients reconnect.
struct LiveEventsController: Sendable {
    let postgres: PostgresClient
    let hub: LiveHub
    let settings: LiveSettings
    let logger: Logger

    /// The most events one read of the feed returns (a reconnect after a long gap reads several times).
    static let pageSize = 500

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.group("api/events", context: AuthenticatedContext.self).get("", use: stream)
    }

    @Sendable func stream(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let userID = context.identity.userID
        let resumeFrom = try Self.lastEventID(request)
        let subscription = hub.subscribe(userID)
        let start: Int64
        do {
            // Subscribed first, then read: nothing that commits in between is missed.
            let latest = try await LiveFeed.lastSeq(of: userID, client: postgres, logger: logger)
            start = min(resumeFrom ?? latest, latest)
        } catch {
            hub.end(subscription.id)
            throw APIError.unavailable("Service temporarily unavailable")
        }
        let expiresAt = context.identity.expiresAt
        let (postgres, hub, settings, logger) = (postgres, hub, settings, logger)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache, no-transform"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { hub.end(subscription.id) }
            let session = LiveSession(
                userID: userID, subscription: subscription, postgres: postgres, settings: settings, logger: logger)
            try await withThrowingDiscardingTaskGroup { group in
                let continuation = subscription.continuation
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: settings.heartbeat)
                        continuation.yield(.heartbeat)
                    }
                }
                if let expiresAt {
                    group.addTask {
                        try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow)))
                        continuation.finish()
                    }
                }
                try await withGracefulShutdownHandler {
                    try await session.run(from: start, writer: &writer)
                } onGracefulShutdown: {
                    continuation.finish()
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        })
    }

    /// `Last-Event-ID` (as EventSource sends it on reconnect) or `?last_event_id=`: a
    /// non-negative integer; anything else is a 422.
    static func lastEventID(_ request: Request) throws -> Int64? {
        let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["last_event_id"].map(String.init)
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw APIError(validation: [.init(
                loc: ["header", "last-event-id"], msg: "Input should be a valid integer", type: "int_parsing", input: .string(text))])
        }
        return value
    }
}

/// The writing side of one open stream.
private struct LiveSession {
    let userID: UUID
    let subscription: LiveSubscription
    let postgres: PostgresClient
    let settings: LiveSettings
    let logger: Logger

    func run(from start: Int64, writer: inout any ResponseBodyWriter) async throws {
        var last = start
        try await write(LiveMessage.opening(lastEventID: start, retry: settings.retry), to: &writer)
        last = try await catchUp(after: last, writer: &writer)
        for await signal in subscription.signals {
            switch signal {
            case .statusChanged: last = try await catchUp(after: last, writer: &writer)
            case .message(let message): try await write(message.frame, to: &writer)
            case .heartbeat: try await write(LiveMessage.heartbeat, to: &writer)
            }
        }
    }

    /// Writes the stored events after `seq`; returns the last one written.
    private func catchUp(after seq: Int64, writer: inout any ResponseBodyWriter) async throws -> Int64 {
        var last = seq
        while true {
            let messages = try await LiveFeed.events(
                of: userID, after: last, limit: LiveEventsController.pageSize, client: postgres, logger: logger)
            guard !messages.isEmpty else { return last }
            try await write(messages.map(\.frame).joined(), to: &writer)
            last = messages.last?.id ?? last
            if messages.count < LiveEventsController.pageSize { return last }
        }
    }

    private func write(_ text: String, to writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: text))
    }
}
