import Foundation
import Hummingbird
import Identity
import Logging
import NIOPosix
import ServiceKit

/// `/api/config`: the runtime settings (admin only, API.md §3.8).
struct ConfigController: Sendable {
    let repository: RuntimeConfigRepository
    let encoders: EncoderDetection
    let threadPool: NIOThreadPool
    let logger: Logger

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        let group = router.group("api/config", context: AdminContext.self)
        group.get("", use: show)
        group.patch("", use: update)
        group.get("encoders", use: listEncoders)
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
        return try await repository.update(by: context.identity.userID) { change.applied(to: $0) }
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
