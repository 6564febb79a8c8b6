import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// One row of `social.categories` with the number of videos in it.
struct CategoryRecord: Sendable, Equatable {
    var id: UUID
    var name: String
    var slug: String
    var description: String?
    var imageFilename: String?
    var imageVersion: Int64
    var createdBy: UUID
    var createdAt: Date
    var updatedAt: Date?
    var videoCount: Int

    /// The select list of every read, `c` being `social.categories`.
    static let columns = """
        c.id, c.name, c.slug, c.description, c.image_filename, c.image_version, c.created_by, c.created_at,
        c.updated_at, (SELECT count(*) FROM social.videos v WHERE v.category_id = c.id) AS video_count
        """

    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        id = try r["id"].decode(UUID.self)
        name = try r["name"].decode(String.self)
        slug = try r["slug"].decode(String.self)
        description = try r["description"].decode(String?.self)
        imageFilename = try r["image_filename"].decode(String?.self)
        imageVersion = try r["image_version"].decode(Int64.self)
        createdBy = try r["created_by"].decode(UUID.self)
        createdAt = try r["created_at"].decode(Date.self)
        updatedAt = try r["updated_at"].decode(Date?.self)
        videoCount = try r["video_count"].decode(Int.self)
    }

    /// Where the image is served without a token; `?v=` changes with every new image,
    /// so a cached old one is never shown.
    var imageURL: String? {
        imageFilename.map { "/media/category-images/\($0)?v=\(imageVersion)" }
    }
}

/// The API's `Category` shape (§2).
struct CategoryBody: ResponseEncodable {
    let category: CategoryRecord

    enum Keys: String, CodingKey {
        case name, id, slug, description
        case imageFilename = "image_filename", imageURL = "image_url", createdBy = "created_by"
        case createdAt = "created_at", updatedAt = "updated_at", videoCount = "video_count"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(category.name, forKey: .name)
        try c.encode(category.id.apiString, forKey: .id)
        try c.encode(category.slug, forKey: .slug)
        try c.encode(category.description, forKey: .description)
        try c.encode(category.imageFilename, forKey: .imageFilename)
        try c.encode(category.imageURL, forKey: .imageURL)
        try c.encode(category.createdBy.apiString, forKey: .createdBy)
        try c.encode(category.createdAt, forKey: .createdAt)
        try c.encode(category.updatedAt, forKey: .updatedAt)
        try c.encode(category.videoCount, forKey: .videoCount)
    }
}

/// `{"categories": [...], "total": n}`.
struct CategoryListBody: ResponseEncodable {
    let categories: [CategoryBody]
    let total: Int
}
