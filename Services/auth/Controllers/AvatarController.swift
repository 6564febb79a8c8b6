import Contracts
import FormData
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Images
import Messaging
import ServiceKit

/// `POST`/`DELETE /api/users/me/avatar`, and `GET /media/avatars/{file}`
/// where nginx does not serve the files itself.
struct AvatarController {
    let components: AuthComponents
    let fileIO: FileIO

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.get("media/avatars/:file", use: serve)
        let group = router.group("api/users/me/avatar", context: AuthenticatedContext.self)
        group.post("", use: upload)
        group.delete("", use: remove)
    }

    /// Accepts JPEG, PNG, GIF, WebP or BMP by content, at most 2 MiB.
    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> UserBody {
        let user = try await components.currentUser(context.identity)
        var request = request
        let tooLarge = APIError(.badRequest, "Image file too large: maximum size is 2 MB")
        let form = try await request.collectFormData(maxBodyBytes: AvatarStore.maxBytes + 64 * 1024, tooLarge: tooLarge)
        guard let file = form.file("file") else {
            throw APIError(validation: [.init(loc: ["body", "file"], msg: "Field required", type: "missing")])
        }
        guard file.body.readableBytes <= AvatarStore.maxBytes else { throw tooLarge }
        guard ImageFormat.sniff(file.body.readableBytesView) != nil else { throw APIError(.badRequest, "File must be an image") }
        let name: String
        do {
            name = try await components.avatars.save(file.body, for: user.id)
        } catch let error as ImageProcessingError {
            throw APIError(.badRequest, "Invalid image file: \(error)")
        }
        try await replaceAvatar(of: user, with: name)
        return try await refreshed(user)
    }

    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> UserBody {
        let user = try await components.currentUser(context.identity)
        guard user.avatarFilename != nil else { throw APIError(.notFound, "User has no avatar") }
        try await replaceAvatar(of: user, with: nil)
        return try await refreshed(user)
    }

    /// An avatar file, cacheable forever (a new avatar has a new name).
    @Sendable func serve(_ request: Request, context: ClipsetRequestContext) async throws -> Response {
        let notFound = APIError(.notFound, "Avatar not found")
        guard let name = context.parameters.get("file"), let path = components.avatars.path(of: name) else { throw notFound }
        let body: ResponseBody
        do {
            body = try await fileIO.loadFile(path: path, context: context)
        } catch {
            throw notFound
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/webp", .cacheControl: "public, max-age=31536000, immutable"],
            body: body
        )
    }

    /// Stores the new name, announces it, then deletes the old file.
    private func replaceAvatar(of user: UserRecord, with name: String?) async throws {
        try await components.transaction { connection in
            try await components.users.setAvatar(user.id, name, on: connection)
            let event = UserUpdated(
                userID: user.id, username: user.username, role: user.role.rawValue,
                avatarURL: name.map { "/media/avatars/\($0)" })
            _ = try await components.outbox.enqueue(event, on: connection, logger: components.logger)
        }
        if let old = user.avatarFilename { await components.avatars.delete(old) }
    }

    private func refreshed(_ user: UserRecord) async throws -> UserBody {
        guard let user = try await components.users.find(id: user.id) else { throw APIError(.notFound, "User not found") }
        return UserBody(user: user, shape: .withQuota)
    }
}
