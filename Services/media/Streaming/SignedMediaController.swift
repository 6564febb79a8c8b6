import Foundation
import HTTPTypes
import Hummingbird
import Identity
import MediaStreaming
import ServiceKit

/// `GET`/`HEAD /media/s/<token>,<expires>/videos/<id>/<file>`: a video's files behind a signed,
/// expiring URL, no token needed (ARCHITECTURE §5.6). 403 for a bad signature, 410 once
/// expired, 404 for anything else; ranges as RFC 9110 says.
struct SignedMediaController: Sendable {
    let signer: MediaURLSigner
    let folder: ConfinedFolder
    let responder: MediaFileResponder

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.get("media/s/**", use: serve)
        router.head("media/s/**", use: serve)
    }

    @Sendable func serve(_ request: Request, context: ClipsetRequestContext) async throws -> Response {
        let scope: MediaURLScope
        do {
            scope = try signer.verify(path: request.uri.path)
        } catch {
            throw error.apiError
        }
        guard let file = folder.resolve("videos/\(scope.videoID)/\(scope.filePath)"),
            let contentType = MediaContentType.forFile(file.path)
        else { throw APIError(.notFound, "File not found") }
        let remaining = max(0, scope.expires - Int64(Date().timeIntervalSince1970))
        return try await responder.response(
            for: request, file: file, contentType: contentType,
            headers: [.cacheControl: "private, max-age=\(min(remaining, 86_400))"], notFoundMessage: "File not found")
    }
}
