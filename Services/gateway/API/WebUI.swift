import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import ServiceKit

/// The UI in `web/`, served at `/`: its files, and `index.html` for any other
/// GET outside the API's prefixes, so the single-page app's own routes
/// (`/v/{short_id}`, `/register/{token}`, …) load it. Unknown `/api/` paths are
/// JSON 404s, and so is a missing asset (a path whose last segment has a dot,
/// or one under `/app/` or `/styles/`): a stale module must fail loudly, not
/// load the HTML page.
///
/// Every UI response carries a strict Content-Security-Policy and
/// `X-Content-Type-Options: nosniff`, and is revalidated each time
/// (`Cache-Control: no-cache` with the file's ETag and Last-Modified), so a
/// deploy is never half old: the UI has no build step and no hashed names.
struct WebUI: Sendable {
    let root: String
    let pool: NIOThreadPool
    let logger: Logger

    /// What the UI may load: only its own origin; media may be `blob:` (thumbnails fetched with a token).
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
        + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

    /// Text types the UI's files are written in (UTF-8); the file middleware names them without a charset.
    static let utf8Types: Set<String> = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"]

    /// Path prefixes that never belong to the UI.
    static let notUIPrefixes = ["/api/", "/media/", "/hls/", "/internal/", "/.well-known/"]

    /// Whether `path` is the UI's (a file of `web/` or a route of the single-page app).
    static func isUIPath(_ path: String) -> Bool {
        !(path == "/api" || path == "/openapi.json" || notUIPrefixes.contains(where: { path.hasPrefix($0) }))
    }

    /// Whether `path` names an asset rather than a page: those are never answered with `index.html`.
    static func isAssetPath(_ path: String) -> Bool {
        if path.hasPrefix("/app/") || path.hasPrefix("/styles/") { return true }
        let last = path.split(separator: "/").last ?? ""
        return last.contains(".")
    }

    /// The middleware serving existing files with the UI's headers; add it before the fallback route.
    func fileMiddleware<Context: RequestContext>(context: Context.Type = Context.self) -> WebUIMiddleware<Context> {
        WebUIMiddleware(files: FileMiddleware(
            root,
            cacheControl: .init([(.init(type: .any), [.noCache])]),
            searchForIndexHtml: true,
            threadPool: pool,
            logger: logger
        ))
    }

    /// The fallback route: `index.html` for UI paths, 404 JSON for API paths and missing assets.
    /// An existing file answers 404 here on purpose: ``WebUIMiddleware``'s file middleware, which
    /// wraps the router, then serves it with its ETag and ranges.
    func addFallback(to router: Router<some RequestContext>) {
        let fileIO = FileIO(threadPool: pool)
        let root = root
        let pool = pool
        router.get("**") { request, context -> Response in
            let path = request.uri.path
            guard Self.isUIPath(path), let decoded = path.removingPercentEncoding, !decoded.contains("..") else {
                throw APIError(.notFound, "Not Found")
            }
            let isFile = try await pool.runIfActive { () -> Bool in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: root + decoded, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            if isFile || Self.isAssetPath(decoded) {
                throw APIError(.notFound, "Not Found")
            }
            let body: ResponseBody
            do {
                body = try await fileIO.loadFile(path: root + "/index.html", context: context)
            } catch {
                throw APIError(.notFound, "Not Found")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"], body: body)
        }
    }
}
