import Foundation
import Hummingbird

extension Parameters {
    /// A UUID path parameter; a malformed one is the original's 422, never a 404 or 500.
    package func uuid(_ name: String) throws -> UUID {
        guard let text = get(name), let id = UUID(uuidString: text) else {
            throw APIError(validation: [.init(
                loc: ["path", name], msg: "Input should be a valid UUID", type: "uuid_parsing",
                input: get(name).map { .string($0) }
            )])
        }
        return id
    }
}
