import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// LISTENs on ``LiveFeed/channel`` on one connection for as long as the process runs
/// and wakes the streams of the user each notification names. After the connection
/// was lost (and notifications with it), every stream is woken to read what it missed.
struct LiveStatusListener: Service {
    let postgres: PostgresClient
    let hub: LiveHub
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await listen()
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("live status listener lost its connection", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        hub.endAll()
    }

    private func listen() async throws {
        try await postgres.withConnection { connection in
            try await connection.listen(on: LiveFeed.channel) { notifications in
                hub.wakeEveryone()
                for try await notification in notifications {
                    guard let userID = UUID(uuidString: notification.payload) else { continue }
                    hub.send(.statusChanged, to: userID)
                }
            }
        }
    }
}
