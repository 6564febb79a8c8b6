import Testing

@testable import Social

/// Category slugs as the original made them (API §3.4).
@Suite struct SlugTests {
    @Test(arguments: [
        ("Hello World", "hello-world"),
        ("  Hello   World!! ", "hello-world"),
        ("a--b", "a-b"),
        ("a - b", "a-b"),
        ("_x_", "_x_"),
        ("Rock & Roll", "rock-roll"),
        ("Café Crème", "café-crème"),
        ("2024 Highlights", "2024-highlights"),
        ("---", ""),
        ("!!!", ""),
        ("Tab\tand\nnewline", "tab-and-newline"),
    ])
    func slug(name: String, expected: String) {
        #expect(Slug.make(name) == expected)
    }

    @Test func aNameWithoutLettersOrDigitsIsRefused() {
        #expect(throws: (any Error).self) { try CategoryRepository.slug(for: "?!") }
        #expect((try? CategoryRepository.slug(for: "Music")) == "music")
    }
}
