import NIOCore

/// One part of a `multipart/form-data` body: a text field or a file.
package struct FormDataPart: Sendable {
    /// The form field's name, from `Content-Disposition: form-data; name="..."`.
    package var name: String
    /// The file name the client sent, for file parts; never use it as a path.
    package var filename: String?
    /// The part's declared `Content-Type`, if any; a client's claim, not a fact.
    package var contentType: String?
    /// The part's bytes.
    package var body: ByteBuffer

    package init(name: String, filename: String? = nil, contentType: String? = nil, body: ByteBuffer) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.body = body
    }
}

/// A parsed `multipart/form-data` body, its parts in the order they were sent.
package struct FormData: Sendable {
    package var parts: [FormDataPart]

    package init(parts: [FormDataPart]) {
        self.parts = parts
    }

    /// The text of the first part named `name` that is not a file, decoded as UTF-8
    /// (invalid sequences become U+FFFD); `nil` when there is none.
    package func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(buffer: $0.body) }
    }

    /// The first part named `name` that is a file (it has a `filename`, possibly empty);
    /// `nil` when there is none.
    package func file(_ name: String) -> FormDataPart? {
        parts.first { $0.name == name && $0.filename != nil }
    }
}
