import Foundation

/// Reads the fields of a JSON object (a request body) or of a query string,
/// collecting every problem as a 422 field problem in the pydantic shape the
/// original API answered with, instead of stopping at the first.
package struct FieldReader: Sendable {
    /// `body` or `query`: the first element of each problem's `loc`.
    package let location: String
    package let values: [String: JSONValue]
    package private(set) var problems: [APIError.FieldProblem] = []

    package init(location: String, values: [String: JSONValue]) {
        self.location = location
        self.values = values
    }

    /// Whether the field was sent at all (even as `null`): PATCH applies only sent keys.
    package func contains(_ key: String) -> Bool { values[key] != nil }

    /// A string the request must carry.
    package mutating func string(_ key: String) -> String? {
        guard let value = values[key], value != .null else {
            report(key, "Field required", type: "missing", input: values[key])
            return nil
        }
        return string(key, value)
    }

    /// A string that may be absent or null.
    package mutating func optionalString(_ key: String) -> String? {
        guard let value = values[key], value != .null else { return nil }
        return string(key, value)
    }

    /// An integer the request must carry (JSON numbers without a fraction; strings
    /// of digits in a query).
    package mutating func int(_ key: String) -> Int? {
        guard let value = values[key], value != .null else {
            report(key, "Field required", type: "missing")
            return nil
        }
        return int(key, value)
    }

    /// An integer that may be absent or null.
    package mutating func optionalInt(_ key: String) -> Int? {
        guard let value = values[key], value != .null else { return nil }
        return int(key, value)
    }

    /// A boolean that may be absent (JSON `true`/`false` only; `null` counts as absent).
    package mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = values[key], value != .null else { return nil }
        if case .bool(let flag) = value { return flag }
        report(key, "Input should be a valid boolean", type: "bool_type", input: value)
        return nil
    }

    /// A length check on a string that was read, with pydantic's messages.
    package mutating func checkLength(_ key: String, _ value: String?, min: Int? = nil, max: Int? = nil) {
        guard let value else { return }
        let count = value.count
        if let min, count < min {
            let unit = min == 1 ? "character" : "characters"
            report(key, "String should have at least \(min) \(unit)", type: "string_too_short", input: .string(value))
        } else if let max, count > max {
            let unit = max == 1 ? "character" : "characters"
            report(key, "String should have at most \(max) \(unit)", type: "string_too_long", input: .string(value))
        }
    }

    /// A range check on an integer that was read.
    package mutating func checkRange(_ key: String, _ value: Int?, min: Int? = nil, max: Int? = nil) {
        guard let value else { return }
        if let min, value < min {
            report(key, "Input should be greater than or equal to \(min)", type: "greater_than_equal", input: .int(Int64(value)))
        } else if let max, value > max {
            report(key, "Input should be less than or equal to \(max)", type: "less_than_equal", input: .int(Int64(value)))
        }
    }

    /// Records a problem of a field's value (pydantic prefixes validator messages with "Value error, ").
    package mutating func report(_ key: String, _ message: String, type: String = "value_error", input: JSONValue? = nil) {
        problems.append(APIError.FieldProblem(loc: [location, key], msg: message, type: type, input: input ?? values[key]))
    }

    /// Throws the 422 of every problem found so far.
    package func validate() throws {
        if !problems.isEmpty { throw APIError(validation: problems) }
    }

    private mutating func string(_ key: String, _ value: JSONValue) -> String? {
        if case .string(let text) = value {
            // PostgreSQL text cannot hold NUL; refuse it here rather than fail later.
            guard !text.unicodeScalars.contains("\0") else {
                report(key, "Value error, String must not contain NUL characters", input: value)
                return nil
            }
            return text
        }
        report(key, "Input should be a valid string", type: "string_type", input: value)
        return nil
    }

    private mutating func int(_ key: String, _ value: JSONValue) -> Int? {
        switch value {
        case .int(let number) where number >= Int64(Int.min) && number <= Int64(Int.max):
            return Int(number)
        case .double(let number) where number.rounded() == number && abs(number) < 1e15:
            return Int(number)
        case .string(let text) where location == "query":
            if let number = Int(text.trimmingCharacters(in: .whitespaces)) { return number }
            report(key, "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing", input: value)
            return nil
        default:
            report(key, "Input should be a valid integer", type: "int_type", input: value)
            return nil
        }
    }
}
