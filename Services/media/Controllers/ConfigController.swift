import Foundation
import Hummingbird
import Identity
import Infrastructure
import Logging
import Messaging
import NIOPosix
import ServiceKit

/// `/api/config`: the runtime settings (admin only, API.md §3.8).
struct ConfigController: Sendable {
    let repository: RuntimeConfigRepository
    let encoders: EncoderDetection
    let migrations: HLSMigrations
    let threadPool: NIOThreadPool
    let logger: Logger

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/config", context: AdminContext.self)
        group.get("", use: show)
        group.patch("", use: update)
        group.get("encoders", use: listEncoders)
        group.get("hls-migration-status", use: migrationStatus)
        group.post("hls-migration", use: startMigration)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> RuntimeConfig {
        try await repository.current()
    }

    /// Applies the fields sent (a preset mode first, then explicit fields); nothing sent is a 400.
    @Sendable func update(_ request: Request, context: AdminContext) async throws -> RuntimeConfig {
        var request = request
        let change = try RuntimeSettingsChange(fields: try await request.jsonFields())
        guard !change.isEmpty else { throw APIError(.badRequest, "No fields provided for update") }
        if let path = change.storagePath { try await checkWritable(path) }
        let admin = context.identity.userID
        let config = try await repository.update(by: admin, { change.applied(to: $0) }) { [migrations] old, new, connection in
            if old.videoOutputFormat != "hls", new.videoOutputFormat == "hls" {
                try await migrations.start(by: admin, on: connection)
            }
        }
        migrations.database.relay.wake()
        return config
    }

    /// How the latest HLS migration is going.
    @Sendable func migrationStatus(_ request: Request, context: AdminContext) async throws -> HLSMigrationStatus {
        try await migrations.status()
    }

    /// Starts an HLS migration of the progressive videos that have none under way (beyond the
    /// original API, which starts one only when the output format turns to HLS); 202 with the status.
    @Sendable func startMigration(_ request: Request, context: AdminContext) async throws -> EditedResponse<HLSMigrationStatus> {
        let admin = context.identity.userID
        try await migrations.database.transaction { [migrations] connection in
            _ = try await migrations.start(by: admin, on: connection)
        }
        return EditedResponse(status: .accepted, response: try await migrations.status())
    }

    @Sendable func listEncoders(_ request: Request, context: AdminContext) async throws -> EncoderDetection.Report {
        do {
            return try await encoders.detect()
        } catch {
            logger.error("encoder detection failed", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, "Failed to detect available encoders")
        }
    }

    /// The storage folder must be an absolute path that exists or can be created, and be writable.
    private func checkWritable(_ path: String) async throws {
        let usable = (try? await threadPool.runIfActive { () -> Bool in
            guard path.hasPrefix("/"), !path.contains("\0") else { return false }
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let probe = folder.appending(path: ".clipset-write-\(UUID().uuidString)")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
            return true
        }) ?? false
        guard usable else { throw APIError(.badRequest, "Invalid or unwritable storage path: \(path)") }
    }
}

extension RuntimeConfig: ResponseEncodable {}
extension EncoderDetection.Report: ResponseEncodable {}
extension HLSMigrationStatus: ResponseEncodable {}
