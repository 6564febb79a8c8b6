import Hummingbird

/// `skip` and `limit` of a paged list, validated like the original's
/// (`skip` within 0...``maxSkip``, `limit` within 1...max), 422 otherwise.
package struct PageRequest: Sendable, Equatable {
    /// The largest `skip` accepted: far beyond any list, and `skip + limit` never overflows.
    package static let maxSkip = Int(Int32.max)

    package var skip: Int
    package var limit: Int

    package init(skip: Int, limit: Int) {
        self.skip = skip
        self.limit = limit
    }

    /// Reads `skip` and `limit` from the query string.
    package init(_ request: Request, defaultLimit: Int, maxLimit: Int) throws {
        var query = request.queryFields
        let skip = query.contains("skip") ? query.int("skip") : 0
        let limit = query.contains("limit") ? query.int("limit") : defaultLimit
        query.checkRange("skip", skip, min: 0, max: Self.maxSkip)
        query.checkRange("limit", limit, min: 1, max: maxLimit)
        try query.validate()
        self.init(skip: skip ?? 0, limit: limit ?? defaultLimit)
    }
}
