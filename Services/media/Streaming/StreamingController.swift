import Foundation
import HTTPTypes
import Hummingbird
import Identity
import MediaStreaming
import NIOCore
import NIOPosix
import ServiceKit

/// The four streaming routes of `/api/videos/{short_id}` (API §3.5, §4.3, Part A), which also
/// take the token as `?token=` for `<video>` elements and hls.js.
struct StreamingController: Sendable {
    let videos: VideoRepository
    let files: VideoFiles
    let signer: MediaURLSigner
    let responder: MediaFileResponder
    let threadPool: NIOThreadPool

    /// The path segments after the short id that take `?token=`.
    static let queryTokenRoutes: Set<String> = ["stream", "hls", "stream-info", "thumbnail"]

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get(":short_id/stream", use: stream)
        group.head(":short_id/stream", use: stream)
        group.get(":short_id/hls/**", use: hls)
        group.get(":short_id/stream-info", use: streamInfo)
        group.get(":short_id/thumbnail", use: thumbnail)
    }

    /// The progressive file with ranges; every ready video has one.
    @Sendable func stream(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let video = try await playableVideo(context, refusal: "Video is not available for streaming")
        guard let file = files.progressive(of: video) else { throw APIError(.notFound, "Video file not found") }
        return try await responder.response(
            for: request, file: file, contentType: "video/mp4",
            headers: [.cacheControl: "private, max-age=3600"], notFoundMessage: "Video file not found")
    }

    /// A playlist of the HLS tree, its URIs turned into signed URLs; any other file of the
    /// tree is a redirect to its signed URL.
    @Sendable func hls(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let video = try await playableVideo(context, refusal: "Video is not available for streaming")
        let name = context.parameters.getCatchAll().joined(separator: "/")
        guard !name.isEmpty, !name.contains(".."), !name.hasPrefix("/") else { throw APIError(.badRequest, "Invalid filename") }
        guard video.outputFormat == "hls" else {
            throw APIError(.notFound, "This video uses progressive streaming, not HLS")
        }
        guard let file = files.file(name, of: video) else { throw APIError(.badRequest, "Invalid filename") }
        guard name.lowercased().hasSuffix(".m3u8") else {
            guard try await exists(file) else { throw APIError(.notFound, "HLS file not found") }
            let location = signer.signedPath(videoID: video.id.apiString, file: name)
            return Response(status: .temporaryRedirect, headers: [.location: location, .cacheControl: "no-store"])
        }
        guard let text = try await readPlaylist(file) else { throw APIError(.notFound, "HLS file not found") }
        let body = PlaylistSigner(signer: signer).sign(text, playlistPath: name, videoID: video.id.apiString)
        return Response(
            status: .ok,
            headers: [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "private, max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    @Sendable func streamInfo(_ request: Request, context: AuthenticatedContext) async throws -> StreamInfoBody {
        let video = try await visibleVideo(context, refusal: "Video is not available")
        guard video.status == .completed else { return StreamInfoBody(video: video, signer: nil) }
        return StreamInfoBody(video: video, signer: signer)
    }

    /// The thumbnail; no visibility check, as in the original.
    @Sendable func thumbnail(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let shortID = context.parameters.get("short_id") ?? ""
        guard let video = try await videos.video(shortID: shortID) else { throw APIError(.notFound, "Video not found: \(shortID)") }
        guard let name = video.thumbnailFilename else { throw APIError(.notFound, "Thumbnail not available") }
        guard let file = files.file(name, of: video) else { throw APIError(.notFound, "Thumbnail file not found") }
        return try await responder.response(
            for: request, file: file, contentType: "image/jpeg",
            headers: [.cacheControl: "public, max-age=86400"], notFoundMessage: "Thumbnail file not found")
    }

    // MARK: - Checks

    private func visibleVideo(_ context: AuthenticatedContext, refusal: String) async throws -> VideoRecord {
        let shortID = context.parameters.get("short_id") ?? ""
        guard let video = try await videos.video(shortID: shortID) else { throw APIError(.notFound, "Video not found: \(shortID)") }
        guard video.isVisible(to: context.identity.userID, isAdmin: context.identity.isAdmin) else {
            throw APIError(.forbidden, refusal)
        }
        return video
    }

    /// A video the caller may see that is ready to play; not ready is a 403 with `refusal`.
    private func playableVideo(_ context: AuthenticatedContext, refusal: String) async throws -> VideoRecord {
        let video = try await visibleVideo(context, refusal: refusal)
        guard video.status == .completed else { throw APIError(.forbidden, refusal) }
        return video
    }

    private func exists(_ file: URL) async throws -> Bool {
        try await threadPool.runIfActive {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }

    /// A playlist's text; playlists are small, and one over 4 MiB is refused as not found.
    private func readPlaylist(_ file: URL) async throws -> String? {
        try await threadPool.runIfActive {
            guard let handle = FileHandle(forReadingAtPath: file.path) else { return nil }
            defer { try? handle.close() }
            guard let data = try handle.read(upToCount: 4 << 20), data.count < 4 << 20 else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
