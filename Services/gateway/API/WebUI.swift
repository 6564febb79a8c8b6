import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceKit

/// The UI in `web/`, served at `/`: files with caching headers (hashed assets
/// may be cached, `index.html` is revalidated each time), and `index.html` for
/// any other GET outside `/api/`, so the single-page app's own routes
/// (`/v/{short_id}`, `/register/{token}`, …) load it. Unknown `/api/` paths are JSON 404s.
struct WebUI: Sendable {
    let root: String
    let pool: NIOThreadPool
    let logger: Logger

    /// The middleware serving existing files; add it before the fallback route.
    func fileMiddleware<Context: RequestContext>(context: Context.Type = Context.self) -> FileMiddleware<Context, LocalFileSystem> {
        FileMiddleware(
            root,
            cacheControl: .init([
                (.textHtml, [.noCache]),
                (.init(type: .any), [.public, .maxAge(3600)]),
            ]),
            searchForIndexHtml: true,
            threadPool: pool,
            logger: logger
        )
    }

    /// The fallback: `index.html` for UI paths, 404 JSON for API paths.
    func addFallback(to router: Router<some RequestContext>) {
        let fileIO = FileIO(threadPool: pool)
        router.get("**") { request, context -> Response in
            let path = request.uri.path
            let notUI = ["/api/", "/media/", "/hls/", "/internal/", "/.well-known/"]
            if path == "/api" || path == "/openapi.json" || notUI.contains(where: { path.hasPrefix($0) }) {
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
