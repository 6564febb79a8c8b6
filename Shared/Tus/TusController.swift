import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import ServiceKit

/// A tus 1.0.0 server (core, creation, creation-with-upload, termination, expiration,
/// checksum) over files in one folder that several replicas may share.
///
/// The service mounts it in its authenticated group and answers for users, quotas and
/// videos through ``TusHooks``:
///
/// ```swift
/// let tus = TusController(configuration: .init(directory: root + "/temp/tus", maxSize: max), hooks: hooks, logger: logger)
/// tus.addRoutes(to: authenticated.group("api/uploads"))
/// // and, every few minutes: _ = try await tus.sweepExpired()
/// ```
package struct TusController<Context: RequestContext>: Sendable {
    let configuration: TusConfiguration
    let hooks: any TusHooks<Context>
    let store: TusStore
    let logger: Logger

    /// - Parameters:
    ///   - threadPool: where every blocking file call runs.
    ///   - logger: for the sweep; requests log to their context's logger.
    package init(
        configuration: TusConfiguration, hooks: some TusHooks<Context>,
        threadPool: NIOThreadPool = .singleton, logger: Logger
    ) {
        self.configuration = configuration
        self.hooks = hooks
        self.store = TusStore(directory: configuration.directory, threadPool: threadPool)
        self.logger = logger
    }

    /// Adds the routes of uploads to `routes`, which the caller mounts at `configuration.locationPrefix`.
    /// Discovery (OPTIONS) needs no user: add it with ``addDiscoveryRoutes(to:)`` on a group
    /// without authentication at the same place.
    package func addRoutes(to routes: some RouterMethods<Context>) {
        let group = routes.group().add(middleware: TusProtocolMiddleware<Context>())
        group.post { request, context in try await self.create(request, context: context) }
        group.head(":id") { request, context in try await self.status(request, context: context) }
        group.patch(":id") { request, context in try await self.append(request, context: context) }
        group.delete(":id") { request, context in try await self.terminate(request, context: context) }
        group.post(":id") { request, context in try await self.overridden(request, context: context) }
    }

    /// Removes the uploads that have expired, and stray files; call it periodically (every few
    /// minutes). Several replicas may sweep at once. Returns how many uploads were removed.
    @discardableResult
    package func sweepExpired() async throws -> Int {
        let now = configuration.now()
        let removed = try await store.sweep(now: now, orphanBefore: now.addingTimeInterval(-configuration.expiryInterval))
        if !removed.isEmpty {
            logger.debug("tus uploads swept", metadata: ["tus.removed": "\(removed.count)"])
        }
        return removed.count
    }

    /// OPTIONS on the collection and on an upload: what the server supports, for anyone
    /// (tus 1.0 core: a client asks before it has a user's token at hand).
    package func addDiscoveryRoutes<Anyone: RequestContext>(to routes: some RouterMethods<Anyone>) {
        let group = routes.group().add(middleware: TusProtocolMiddleware<Anyone>())
        group.on("", method: .options) { _, _ in self.options() }
        group.on(":id", method: .options) { _, _ in self.options() }
    }

    // MARK: - OPTIONS, HEAD, DELETE

    /// What the server supports; needs no `Tus-Resumable` and no user.
    func options() -> Response {
        Response(status: .noContent, headers: [
            TusHeader.version: TusHeader.protocolVersion,
            TusHeader.extension: TusHeader.extensions,
            TusHeader.maxSize: String(configuration.maxSize),
            TusHeader.checksumAlgorithm: TusChecksum.supported,
        ])
    }

    /// HEAD: how far the upload is. A complete upload whose conversion failed before is
    /// converted again here, unless another request holds it; a refusal still answers the offset.
    func status(_ request: Request, context: Context) async throws -> Response {
        let owner = try hooks.owner(of: context)
        let id = try uploadID(context)
        var upload = try await load(id, owner: owner)
        var extra = upload.completionFields
        if upload.needsCompletion {
            do {
                if let fields = try await store.withLock(id, { _ in try await completeIfNeeded(id, context: context) }) {
                    extra = fields
                    upload = try await load(id, owner: owner)
                }
            } catch let error as APIError where error.status == TusError.lockedStatus {
                // Another request is writing or converting it: report what is recorded.
            } catch {
                // HEAD must always report the offset (tus 1.0): a refused conversion (a quota, a file
                // that is no video) is the answer of the PATCH that finished it and of an empty
                // PATCH at the final offset, which retries it.
                context.logger.debug("tus conversion retry refused", metadata: ["tus.id": "\(id.apiString)", "error": "\(error)"])
            }
        }
        var headers = progressHeaders(upload)
        headers[TusHeader.uploadLength] = String(upload.length)
        if !upload.metadata.values.isEmpty { headers[TusHeader.uploadMetadata] = upload.metadata.header }
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: merging(extra, into: headers))
    }

    /// DELETE: removes the upload's files (termination).
    func terminate(_ request: Request, context: Context) async throws -> Response {
        let owner = try hooks.owner(of: context)
        let id = try uploadID(context)
        let upload = try await load(id, owner: owner)
        if upload.completion == nil, try await store.withLock(id, { _ in try await store.remove(id) }) == nil {
            // No data file: a conversion holding it is in flight, or it was handed over.
            if let current = try await store.read(id), current.needsCompletion { throw TusError.locked }
        }
        try await store.remove(id)
        context.logger.debug("tus upload terminated", metadata: ["tus.id": "\(id.apiString)"])
        return Response(status: .noContent)
    }

    /// POST with `X-HTTP-Method-Override`, which tus servers must honour for clients that
    /// cannot send PATCH or DELETE. (Only on an upload's path, where POST has no meaning of
    /// its own, so the router needs no rewriting before it picks a route.)
    func overridden(_ request: Request, context: Context) async throws -> Response {
        switch request.headers[TusHeader.methodOverride]?.uppercased() {
        case "PATCH": try await append(request, context: context)
        case "DELETE": try await terminate(request, context: context)
        case "HEAD": try await status(request, context: context)
        default: throw APIError(.methodNotAllowed, "Method Not Allowed")
        }
    }

    // MARK: - Shared steps

    /// The upload id of the path; anything but a UUID is a 404.
    func uploadID(_ context: Context) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw TusError.notFound }
        return id
    }

    /// The record of `id` if it belongs to `owner` and has not expired.
    func load(_ id: UUID, owner: String) async throws -> TusUpload {
        guard let upload = try await store.read(id), upload.owner == owner else { throw TusError.notFound }
        guard !upload.isExpired(at: configuration.now()) else { throw TusError.gone }
        return upload
    }

    /// `Upload-Offset` and `Upload-Expires`, on every answer about an upload.
    func progressHeaders(_ upload: TusUpload) -> HTTPFields {
        [TusHeader.uploadOffset: String(upload.offset), TusHeader.uploadExpires: HTTPDate.string(from: upload.expires)]
    }

    /// `fields` added to `headers`, never replacing one that is there (the tus headers win).
    func merging(_ fields: HTTPFields, into headers: HTTPFields) -> HTTPFields {
        var merged = headers
        for field in fields where merged[field.name] == nil { merged.append(field) }
        return merged
    }

    /// The request's `Content-Length`, when it has one.
    func declaredLength(_ request: Request) -> Int64? {
        TusHeader.nonNegativeInteger(request.headers[.contentLength])
    }
}
