import Foundation
import HTTPTypes

/// One upload as its info file records it.
///
/// The info file is rewritten (atomically) only by the holder of the upload's lock, after
/// the data file was synced, so `offset` never counts a byte that is not durably stored.
package struct TusUpload: Codable, Sendable, Equatable {
    /// A header the completion hook returned, kept so a later HEAD can repeat it.
    package struct Header: Codable, Sendable, Equatable {
        package var name: String
        package var value: String
    }

    package let id: UUID
    /// The user id `TusHooks.owner(of:)` gave at creation.
    package let owner: String
    /// `Upload-Length`: the size of the whole file.
    package let length: Int64
    /// `Upload-Offset`: the bytes durably stored.
    package var offset: Int64
    package let metadata: TusMetadata
    package let created: Date
    /// After this, requests answer 410 and the sweep removes the files.
    package var expires: Date
    /// Set once the completion hook succeeded: the headers it returned.
    package var completion: [Header]?

    package init(id: UUID, owner: String, length: Int64, metadata: TusMetadata, created: Date, expires: Date) {
        self.id = id
        self.owner = owner
        self.length = length
        self.offset = 0
        self.metadata = metadata
        self.created = created
        self.expires = expires
        self.completion = nil
    }

    /// Every byte is stored.
    package var isComplete: Bool { offset == length }

    /// Every byte is stored and the completion hook has not yet succeeded.
    var needsCompletion: Bool { isComplete && completion == nil }

    func isExpired(at now: Date) -> Bool { expires <= now }

    /// The headers the completion hook returned, as fields.
    var completionFields: HTTPFields {
        var fields = HTTPFields()
        for header in completion ?? [] {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return fields
    }

    /// Records the headers of a successful completion.
    mutating func recordCompletion(_ fields: HTTPFields) {
        completion = fields.map { Header(name: $0.name.rawName, value: $0.value) }
    }
}
