/// A structured header value such as `multipart/form-data; boundary=x` or
/// `form-data; name="file"; filename="a \"b\".png"`: a leading value and `key=value` parameters.
struct HeaderValue: Equatable {
    /// The part before the first `;`, lowercased (`multipart/form-data`, `form-data`).
    var value: String
    /// The parameters by lowercased name; a value may have been a quoted string, unescaped here.
    /// When a name repeats, the first one counts.
    var parameters: [String: String]

    /// Parses `raw`; `nil` for a quoted string that never ends.
    init?(_ raw: String) {
        var scanner = Scanner(Substring(raw))
        value = scanner.scanToken().lowercased()
        parameters = [:]
        while scanner.skip(";") {
            let name = scanner.scanToken(stoppingAt: "=").lowercased()
            guard scanner.skip("=") else { continue }
            let parameter: String
            if scanner.peek == "\"" {
                guard let quoted = scanner.scanQuotedString() else { return nil }
                parameter = quoted
            } else {
                parameter = scanner.scanToken()
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = parameter }
        }
    }

    /// Reads a header value from left to right.
    private struct Scanner {
        private var rest: Substring

        init(_ text: Substring) { rest = text }

        var peek: Character? { rest.first }

        /// Skips blanks, then `character` if it is next; whether it was.
        mutating func skip(_ character: Character) -> Bool {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard rest.first == character else { return false }
            rest.removeFirst()
            rest = rest.drop { $0 == " " || $0 == "\t" }
            return true
        }

        /// The text up to the next `;` (or `stop`), without surrounding blanks.
        mutating func scanToken(stoppingAt stop: Character = ";") -> String {
            let token = rest.prefix { $0 != ";" && $0 != stop }
            rest = rest[token.endIndex...]
            return token.trimmingBlanks()
        }

        /// A `"..."` string with `\x` escapes resolved; `nil` when the closing quote is missing.
        mutating func scanQuotedString() -> String? {
            var result = ""
            var index = rest.index(after: rest.startIndex)
            while index < rest.endIndex {
                let character = rest[index]
                index = rest.index(after: index)
                switch character {
                case "\"":
                    rest = rest[index...]
                    return result
                case "\\" where index < rest.endIndex:
                    result.append(rest[index])
                    index = rest.index(after: index)
                default:
                    result.append(character)
                }
            }
            return nil
        }
    }
}

extension Substring {
    /// The text without spaces and tabs at either end.
    fileprivate func trimmingBlanks() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
