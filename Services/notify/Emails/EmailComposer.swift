import Foundation
import Mustache

/// Renders an email's plain-text and HTML bodies from the Mustache templates in
/// the service's `Templates` folder (`<kind>.txt`, `<kind>.html`, a shared `layout`).
/// Text templates use `{{{triple}}}` tags (no HTML escaping); HTML ones escape.
struct EmailComposer: Sendable {
    let library: MustacheLibrary

    /// Loads every template; a missing folder or a template that does not parse stops the service.
    static func load(from folder: URL) async throws -> EmailComposer {
        EmailComposer(library: try await MustacheLibrary(directory: folder.path))
    }

    /// The templates shipped with the service.
    static func bundled() async throws -> EmailComposer {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw EmailTemplateMissing(kind: .invitation)
        }
        return try await load(from: folder)
    }

    /// The two bodies of `kind` with `values`; fails when a template is missing.
    func bodies(_ kind: EmailKind, _ values: [String: String]) throws -> (text: String, html: String) {
        guard let text = library.render(values, withTemplate: "\(kind.rawValue).txt"),
              let html = library.render(values.merging(["title": "Clipset"]) { old, _ in old }, withTemplate: "\(kind.rawValue).html")
        else { throw EmailTemplateMissing(kind: kind) }
        return (text, html)
    }
}

/// A kind of email without its two templates (a packaging mistake).
struct EmailTemplateMissing: Error, CustomStringConvertible {
    let kind: EmailKind
    var description: String { "no templates \(kind.rawValue).txt/.html in the Templates folder" }
}
