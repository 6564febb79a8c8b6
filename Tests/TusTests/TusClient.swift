import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Tus

/// tus requests as a client sends them, with `Tus-Resumable` and the user unless told otherwise.
extension TestClientProtocol {
    /// The headers of a request by `user`.
    func tusHeaders(user: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers: HTTPFields = [TusHeader.resumable: TusHeader.protocolVersion]
        if let user { headers[TestAuthentication.user] = user }
        for field in extra { headers[field.name] = field.value }
        return headers
    }

    /// POST: creates an upload of `length` bytes, with `body` when given (creation-with-upload).
    func create(
        length: Int64, user: String? = "alice", metadata: String? = nil, body: [UInt8]? = nil,
        headers extra: HTTPFields = [:], uri: String = "/api/uploads"
    ) async throws -> TestResponse {
        var headers = tusHeaders(user: user, [TusHeader.uploadLength: String(length)])
        if let metadata { headers[TusHeader.uploadMetadata] = metadata }
        if body != nil { headers[.contentType] = TusHeader.offsetOctetStream }
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: .post, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Creates an upload that must succeed and returns its path (`Location`).
    func createUpload(length: Int64, user: String = "alice", metadata: String? = nil) async throws -> String {
        let response = try await create(length: length, user: user, metadata: metadata)
        guard response.status == .created, let location = response.headers[.location] else {
            throw UnexpectedResponse(response)
        }
        return location
    }

    /// PATCH: appends `bytes` at `offset`.
    func patch(
        _ location: String, offset: Int64, bytes: [UInt8], user: String? = "alice", headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = tusHeaders(user: user, [
            .contentType: TusHeader.offsetOctetStream, TusHeader.uploadOffset: String(offset),
        ])
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: location, method: .patch, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// HEAD: the upload's state.
    func head(_ location: String, user: String? = "alice") async throws -> TestResponse {
        try await execute(uri: location, method: .head, headers: tusHeaders(user: user))
    }

    /// The offset a HEAD reports; nil when the HEAD is not a 200.
    func offset(of location: String, user: String = "alice") async throws -> Int64? {
        let response = try await head(location, user: user)
        guard response.status == .ok else { return nil }
        return response.headers[TusHeader.uploadOffset].flatMap { Int64($0) }
    }

    /// DELETE: terminates the upload.
    func terminate(_ location: String, user: String? = "alice") async throws -> TestResponse {
        try await execute(uri: location, method: .delete, headers: tusHeaders(user: user))
    }
}

/// A response the test did not expect, with what it said.
struct UnexpectedResponse: Error, CustomStringConvertible {
    let description: String

    init(_ response: TestResponse) {
        description = "\(response.status): \(String(buffer: response.body))"
    }
}

extension TestResponse {
    /// The `detail` of an error body in the API's shape.
    var detail: String? {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["detail"] as? String
    }

    /// The upload id at the end of the `Location`.
    var uploadID: String? {
        headers[.location].flatMap { $0.split(separator: "/").last.map(String.init) }
    }
}

extension String {
    /// The upload id at the end of a location.
    var uploadID: String { String(split(separator: "/").last ?? "") }
}

/// The `Upload-Metadata` form of `pairs`: each value base64.
func metadataHeader(_ pairs: KeyValuePairs<String, String>) -> String {
    pairs.map { "\($0.key) \(Data($0.value.utf8).base64EncodedString())" }.joined(separator: ",")
}
