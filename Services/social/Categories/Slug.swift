/// A category's slug as the original made it (API §3.4): lower-case, characters
/// other than letters, digits, `_`, spaces and `-` dropped, runs of spaces and
/// hyphens turned into one `-`, and no `-` at either end.
enum Slug {
    static func make(_ name: String) -> String {
        var slug = ""
        var pendingDash = false
        for character in name.lowercased() {
            if character.isWhitespace || character == "-" {
                pendingDash = true
            } else if character.isLetter || character.isNumber || character == "_" {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            }
        }
        return slug
    }
}
