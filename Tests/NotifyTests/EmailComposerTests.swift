import Testing

@testable import Notify

/// Every kind of email renders from the shipped templates: links and names in both
/// parts, HTML escaped in the HTML part only.
@Suite struct EmailComposerTests {
    static let values = [
        "link": "https://clipset.example/v/AbCdEfGhIj?x=1&y=2", "username": "ada", "title": "My <b>clip</b>",
        "author": "bob", "content": "Nice & <script>alert(1)</script>", "expires": "24 Nov 2026", "error": "Broken file",
    ]

    @Test(arguments: EmailKind.allCases)
    func everyKindRendersBothParts(kind: EmailKind) async throws {
        let composer = try await EmailComposer.bundled()
        let (text, html) = try composer.bodies(kind, Self.values)
        #expect(text.contains("https://clipset.example/v/AbCdEfGhIj?x=1&y=2"))
        #expect(html.contains("https://clipset.example/v/AbCdEfGhIj?x=1&amp;y=2"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!text.contains("<p>"))
    }

    @Test func userTextIsEscapedInHTMLAndKeptInText() async throws {
        let composer = try await EmailComposer.bundled()
        let (text, html) = try composer.bodies(.newComment, Self.values)
        #expect(text.contains("Nice & <script>alert(1)</script>"))
        #expect(html.contains("Nice &amp; &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("My &lt;b&gt;clip&lt;/b&gt;"))
    }

    @Test func onlyTheOptionalKindsCanBeTurnedOff() {
        #expect(EmailKind.allCases.filter { !$0.isOptional } == [.invitation, .passwordReset])
    }
}
