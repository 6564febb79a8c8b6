import Foundation
import HTTPTypes
import NIOHTTP1

/// The headers that cross the gateway, as RFC 9110 §7.6.1 says: hop-by-hop
/// fields (and those `Connection` names) stay on their hop; the client's
/// address, scheme and host travel on in `X-Forwarded-*`; the request id too.
enum ForwardedHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// The headers to send to the service.
    static func request(
        _ fields: HTTPFields, authority: String?, clientAddress: String, peerTrusted: Bool, requestID: String?
    ) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let dropped = droppedNames(fields)
        for field in fields {
            let name = field.name.canonicalName
            if dropped.contains(name) || name == "host" || name == "content-length" || name.hasPrefix("x-forwarded-") { continue }
            if name == "x-request-id" { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        // A trusted proxy in front (nginx) already started the chain; anyone else's claims are dropped.
        let chain = peerTrusted ? fields[.xForwardedFor].map { "\($0), " } ?? "" : ""
        headers.add(name: "X-Forwarded-For", value: chain + clientAddress)
        let proto = peerTrusted ? fields[.xForwardedProto] ?? "http" : "http"
        headers.add(name: "X-Forwarded-Proto", value: proto)
        // HTTP/1's Host arrives as the request's authority, not as a field.
        if let host = authority ?? fields[.host] { headers.add(name: "X-Forwarded-Host", value: host) }
        if let requestID { headers.add(name: "X-Request-ID", value: requestID) }
        return headers
    }

    /// The service's headers to give the client: no hop-by-hop fields, and no
    /// `Server`, so nothing tells which service answered.
    static func response(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        let named = Set(headers[canonicalForm: "connection"].map { $0.lowercased() })
        for (name, value) in headers {
            let lower = name.lowercased()
            if hopByHop.contains(lower) || named.contains(lower) || lower == "server" || lower == "x-request-id" { continue }
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    private static func droppedNames(_ fields: HTTPFields) -> Set<String> {
        var names = hopByHop
        for value in fields[values: .connection] {
            for token in value.split(separator: ",") { names.insert(token.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
        return names
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let host = Self("Host")!
}
