import HTTPTypes
import Hummingbird

/// What the service decides for the tus endpoint: who is asking, whether an upload may start,
/// and what a finished upload becomes.
///
/// The module knows nothing of users, quotas or videos; it calls these hooks with the request's
/// context, so they run in the service's authenticated context.
package protocol TusHooks<Context>: Sendable {
    associatedtype Context: RequestContext

    /// The id of the user making the request; throws (a 401 `APIError`) when there is none.
    ///
    /// Every upload belongs to the user who created it; another user's upload answers 404.
    func owner(of context: Context) throws -> String

    /// Called on creation, before a byte is stored: throw an `APIError` (400, 403) to refuse,
    /// e.g. for a file larger than the service's limit or over the user's quota.
    func authorizeCreate(length: Int64, metadata: TusMetadata, context: Context) async throws

    /// Called when every byte of `upload` is stored (offset == length), with the lock of the
    /// upload held, so at most one call runs at a time for one upload.
    ///
    /// The data file at `path` is the service's during the call: move (rename) it into place
    /// or copy it. When the call returns, whatever is left at `path` is removed and the upload
    /// is kept only as a record (HEAD answers offset == length and repeats the returned
    /// headers) until it expires. The returned headers (e.g. `X-Video-Id`) are added to the
    /// response of the request that finished the upload; they never replace a tus header.
    ///
    /// When the call throws, its error is the response (an `APIError` keeps its status and
    /// message) and the upload stays complete but unconverted: the next HEAD or PATCH on it
    /// calls this hook again. A crash between a successful call and the module's record of it
    /// also means a second call, so the hook must be idempotent by `upload.id` (e.g. use it as
    /// the video id).
    func completed(_ upload: TusUpload, path: String, context: Context) async throws -> HTTPFields
}
