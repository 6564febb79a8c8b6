import FormData
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Images
import ServiceKit

/// `/api/categories` (API §3.4): everyone reads, admins write; images are served
/// without a token, also at `/media/category-images/{file}` where nginx does not serve them.
struct CategoriesController: Sendable {
    let categories: CategoryRepository
    let images: CategoryImageStore
    let fileIO: FileIO

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.get("api/categories/:category_id/image", use: image)
        router.get("media/category-images/:file", use: imageFile)
        let users = router.group("api/categories", context: AuthenticatedContext.self)
        users.get("", use: list)
        users.get("slug/:slug", use: showBySlug)
        users.get(":category_id", use: show)
        let admins = router.group("api/categories", context: AdminContext.self)
        admins.post("", use: create)
        admins.patch(":category_id", use: update)
        admins.delete(":category_id", use: delete)
        admins.post(":category_id/image", use: uploadImage)
        admins.delete(":category_id/image", use: deleteImage)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> CategoryListBody {
        let all = try await categories.all()
        return CategoryListBody(categories: all.map(CategoryBody.init), total: all.count)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> CategoryBody {
        CategoryBody(category: try await category(context.parameters.uuid("category_id")))
    }

    @Sendable func showBySlug(_ request: Request, context: AuthenticatedContext) async throws -> CategoryBody {
        // Path parameters come percent-encoded: a slug keeps non-ASCII letters ("café").
        let slug = context.parameters.get("slug").flatMap { $0.removingPercentEncoding ?? $0 } ?? ""
        guard let category = try await categories.find(slug: slug) else { throw Self.notFound }
        return CategoryBody(category: category)
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> EditedResponse<CategoryBody> {
        var request = request
        var fields = try await request.jsonFields()
        let name = Self.name(&fields, required: true)
        let description = Self.description(&fields)
        try fields.validate()
        let category = try await categories.create(name: name ?? "", description: description, by: context.identity.userID)
        return EditedResponse(status: .created, response: CategoryBody(category: category))
    }

    /// `name` and `description` when sent and not null; a new name is a new slug.
    @Sendable func update(_ request: Request, context: AdminContext) async throws -> CategoryBody {
        let id = try context.parameters.uuid("category_id")
        var request = request
        var fields = try await request.jsonFields()
        let name = Self.name(&fields, required: false)
        let description = Self.description(&fields)
        try fields.validate()
        guard let category = try await categories.update(id: id, name: name, description: description) else { throw Self.notFound }
        return CategoryBody(category: category)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        guard let category = try await categories.delete(id: try context.parameters.uuid("category_id")) else { throw Self.notFound }
        if category.imageFilename != nil { await images.delete(category.id) }
        return Response(status: .noContent)
    }

    /// JPEG, PNG, GIF, WebP or BMP by content, at most 5 MiB, stored as a 400x400 WebP. The
    /// upload is streamed to a file (never held whole in memory), rendered beside the images,
    /// and moved into place under the category's row lock.
    @Sendable func uploadImage(_ request: Request, context: AdminContext) async throws -> CategoryBody {
        let existing = try await category(context.parameters.uuid("category_id"))
        try await images.prepare()
        let form = try await request.streamFormData(
            into: images.incomingDirectory, maxFileBytes: Int64(CategoryImageStore.maxBytes),
            tooLarge: { APIError(.badRequest, "Image file too large: maximum size is 5 MB") }, threadPool: images.pool)
        let rendered: String
        do {
            rendered = try await render(form)
            await form.removeFiles()
        } catch {
            await form.removeFiles()
            throw error
        }
        let changed: CategoryRecord?
        do {
            changed = try await categories.setImage(id: existing.id, filename: CategoryImageStore.filename(of: existing.id)) {
                [images] in try await images.install(rendered, for: existing.id)
            }
        } catch {
            await images.discard(rendered)
            throw error
        }
        guard let changed else {
            await images.discard(rendered)
            throw Self.notFound
        }
        return CategoryBody(category: changed)
    }

    private func render(_ form: StreamedFormData) async throws -> String {
        guard let file = form.file("file") else {
            throw APIError(validation: [.init(loc: ["body", "file"], msg: "Field required", type: "missing")])
        }
        guard try await images.format(of: file.path) != nil else { throw APIError(.badRequest, "File must be an image") }
        do {
            return try await images.render(from: file.path)
        } catch let error as ImageProcessingError {
            switch error.kind {
            case .invalidImage: throw APIError(.badRequest, "Invalid image file: the image could not be decoded")
            case .timedOut: throw APIError(.badRequest, "Invalid image file: the image took too long to decode")
            case .ffmpegUnavailable:
                throw APIError.unavailable("Failed to upload image: image processing is unavailable", retryAfterSeconds: 30)
            }
        }
    }

    @Sendable func deleteImage(_ request: Request, context: AdminContext) async throws -> Response {
        let existing = try await category(context.parameters.uuid("category_id"))
        guard existing.imageFilename != nil else { throw APIError(.notFound, "Category has no image") }
        let removed = try await categories.setImage(id: existing.id, filename: nil) { [images] in
            await images.delete(existing.id)
        }
        guard removed != nil else { throw Self.notFound }
        return Response(status: .noContent)
    }

    /// `GET /api/categories/{id}/image`: no token needed, cacheable for a year.
    @Sendable func image(_ request: Request, context: ClipsetRequestContext) async throws -> Response {
        let category = try await category(context.parameters.uuid("category_id"))
        guard let name = category.imageFilename, let path = images.path(of: name) else {
            throw APIError(.notFound, "Category image not found")
        }
        return try await serve(path, context: context, cacheControl: "public, max-age=31536000")
    }

    /// `GET /media/category-images/{id}.webp` (the `image_url`): the same bytes.
    @Sendable func imageFile(_ request: Request, context: ClipsetRequestContext) async throws -> Response {
        guard let path = images.path(of: context.parameters.get("file") ?? "") else {
            throw APIError(.notFound, "Category image not found")
        }
        return try await serve(path, context: context, cacheControl: "public, max-age=31536000")
    }

    // MARK: - Helpers

    static let notFound = APIError(.notFound, "Category not found")

    private func category(_ id: UUID) async throws -> CategoryRecord {
        guard let category = try await categories.find(id: id) else { throw Self.notFound }
        return category
    }

    private func serve(_ path: String, context: ClipsetRequestContext, cacheControl: String) async throws -> Response {
        let body: ResponseBody
        do {
            body = try await fileIO.loadFile(path: path, context: context)
        } catch {
            throw APIError(.notFound, "Image file not found")
        }
        return Response(status: .ok, headers: [.contentType: "image/webp", .cacheControl: cacheControl], body: body)
    }

    /// 1..50 characters counted before trimming (the original's order), then trimmed; blank is a 422.
    private static func name(_ fields: inout FieldReader, required: Bool) -> String? {
        guard let raw = required ? fields.string("name") : fields.optionalString("name") else { return nil }
        fields.checkLength("name", raw, min: 1, max: 50)
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty, !raw.isEmpty { fields.report("name", "Value error, Category name cannot be empty") }
        return trimmed
    }

    private static func description(_ fields: inout FieldReader) -> String? {
        let description = fields.optionalString("description")
        fields.checkLength("description", description, max: 500)
        return description
    }
}
