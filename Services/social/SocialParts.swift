import Configuration
import Foundation
import Hummingbird
import Identity
import Images
import Infrastructure
import Logging
import NIOPosix
import ServiceKit

/// The social service's parts, built once from its infrastructure.
///
/// Configuration keys:
/// - `media.root` (`MEDIA_ROOT`, default `./media`, as media): category images go to `<root>/category-images`.
/// - `ffmpeg.path` (`FFMPEG_PATH`, default `ffmpeg`): renders the images.
/// - `comments.cache.seconds` (`COMMENTS_CACHE_SECONDS`, default 600): how long a cached comment page lives
///   (0: no cache).
struct SocialParts: Sendable {
    let categories: CategoryRepository
    let playlists: PlaylistRepository
    let comments: CommentRepository
    let images: CategoryImageStore
    let cache: CommentCache
    let rules: CommentRules
    let threadPool: NIOThreadPool

    init(
        environment: ServiceEnvironment, infrastructure: Infrastructure, rules: CommentRules = CommentRules(),
        threadPool: NIOThreadPool = .singleton
    ) {
        let reader = environment.reader
        let logger = environment.logger
        let database = OutboxDatabase(
            postgres: infrastructure.postgres, outbox: infrastructure.outbox, relay: infrastructure.relay, logger: logger)
        categories = CategoryRepository(database: database)
        playlists = PlaylistRepository(database: database)
        comments = CommentRepository(database: database)
        let root = reader.string(forKey: "media.root", default: "./media")
        images = CategoryImageStore(
            directory: URL(fileURLWithPath: root).appendingPathComponent("category-images").path,
            renderer: SquareWebPRenderer(
                side: 400, quality: 85, ffmpegPath: reader.string(forKey: "ffmpeg.path", default: "ffmpeg"), logger: logger),
            pool: threadPool, logger: logger)
        cache = CommentCache(
            redis: infrastructure.redis,
            lifetime: .seconds(max(0, reader.int(forKey: "comments.cache.seconds", default: 600))), logger: logger)
        self.rules = rules
        self.threadPool = threadPool
    }

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        CategoriesController(categories: categories, images: images, fileIO: FileIO(threadPool: threadPool)).addRoutes(to: router)
        let playlistRoutes = router.group("api/playlists", context: AuthenticatedContext.self)
        let finder = PlaylistsController(playlists: playlists)
        finder.addRoutes(to: playlistRoutes)
        PlaylistEntriesController(playlists: playlists, finder: finder).addRoutes(to: playlistRoutes)
        CommentsController(comments: comments, cache: cache, rules: rules)
            .addRoutes(to: router.group("api", context: AuthenticatedContext.self))
    }
}
