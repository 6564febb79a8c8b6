import Foundation
import Hummingbird
import Identity
import PostgresNIO
import ServiceKit

/// The filters, order and page of `GET /api/videos/` (API §3.5), validated, and the
/// SQL they make for one viewer (who sees completed videos, their own, or all if admin).
struct VideoListQuery: Sendable {
    enum Sort: String { case createdAt = "created_at", title, viewCount = "view_count" }

    var categoryID: UUID?
    var status: ProcessingStatus?
    var uploadedBy: UUID?
    var search: String?
    var sort: Sort = .createdAt
    var ascending = false
    var page: PageRequest

    static let defaultLimit = 20
    static let maxLimit = 200

    /// Reads the query string; malformed ids, statuses and paging are 422s.
    init(_ request: Request) throws {
        var query = request.queryFields
        let skip = query.contains("skip") ? query.int("skip") : 0
        let limit = query.contains("limit") ? query.int("limit") : Self.defaultLimit
        query.checkRange("skip", skip, min: 0, max: PageRequest.maxSkip)
        query.checkRange("limit", limit, min: 1, max: Self.maxLimit)
        page = PageRequest(skip: skip ?? 0, limit: limit ?? Self.defaultLimit)
        categoryID = Self.uuid("category_id", &query)
        uploadedBy = Self.uuid("uploaded_by", &query)
        if let text = query.optionalString("status"), !text.isEmpty {
            let name = text.lowercased().replacingOccurrences(of: "processingstatus.", with: "")
            status = ProcessingStatus(rawValue: name)
            if status == nil {
                query.report("status", "Input should be 'pending', 'processing', 'completed' or 'failed'", type: "enum")
            }
        }
        search = query.optionalString("search").flatMap { $0.isEmpty ? nil : $0 }
        sort = query.optionalString("sort").flatMap(Sort.init(rawValue:)) ?? .createdAt
        ascending = query.optionalString("order") == "asc"
        try query.validate()
    }

    private static func uuid(_ key: String, _ query: inout FieldReader) -> UUID? {
        guard let text = query.optionalString(key), !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            query.report(key, "Input should be a valid UUID", type: "uuid_parsing")
            return nil
        }
        return id
    }

    /// The WHERE clause and its binds for `viewer`; `status` counts only for admins.
    func filter(for viewer: Identity) -> (sql: String, binds: PostgresBindings) {
        var binds = PostgresBindings()
        var conditions: [String] = []
        func bind(_ value: some PostgresNonThrowingEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if !viewer.isAdmin {
            conditions.append("(v.processing_status = 'completed' OR v.uploaded_by = \(bind(viewer.userID)))")
        } else if let status {
            conditions.append("v.processing_status = \(bind(status.rawValue))")
        }
        if let categoryID { conditions.append("v.category_id = \(bind(categoryID))") }
        if let uploadedBy { conditions.append("v.uploaded_by = \(bind(uploadedBy))") }
        if let search {
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append("v.title ILIKE \(bind(pattern))")
        }
        return (conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND "), binds)
    }

    /// The ORDER BY clause; ties broken by id so pages never overlap.
    var orderBy: String {
        let direction = ascending ? "ASC" : "DESC"
        let column = switch sort {
        case .createdAt: "v.created_at"
        case .title: "v.title"
        case .viewCount: "v.view_count"
        }
        return "\(column) \(direction), v.id \(direction)"
    }
}
