import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Identity
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit

/// Forwards a request to a service and its response back, streaming both
/// bodies with backpressure: a byte is read from the client only when the
/// service can take it, and from the service only when the client can.
struct UpstreamProxy: Sendable {
    let client: HTTPClient
    let settings: GatewaySettings
    let addresses: ClientAddressResolver

    func forward(_ request: Request, to upstream: Upstream, context: ClipsetRequestContext) async throws -> Response {
        let base = settings.upstreams[upstream] ?? ""
        var outgoing = HTTPClientRequest(url: base + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        let peerIP = context.peerAddress?.ipAddress ?? "unknown"
        outgoing.headers = ForwardedHeaders.request(
            request.headers,
            authority: request.head.authority,
            clientAddress: peerIP,
            peerTrusted: addresses.isTrusted(peerIP),
            requestID: context.logger[metadataKey: "request.id"].map { "\($0)" }
        )
        let relay = RequestBodyRelay()
        outgoing.body = Self.body(of: request, relay: relay)
        let response: HTTPClientResponse
        do {
            // The deadline covers the wait for the response head only, uploads included;
            // a service that goes quiet is caught by the client's read timeout.
            response = try await client.execute(outgoing, timeout: .hours(24), logger: context.logger)
        } catch {
            await relay.close()
            throw Self.apiError(for: error, upstream: upstream, logger: context.logger)
        }
        let upstreamBody = response.body
        return Response(
            status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: ForwardedHeaders.response(response.headers),
            body: ResponseBody { writer in
                do {
                    try await writer.write(upstreamBody)
                    try await writer.finish(nil)
                } catch {
                    await relay.close()
                    throw error
                }
                // Whatever of the request body is left is Hummingbird's to drain, alone.
                await relay.close()
            }
        )
    }

    /// The request's body as a stream of the length it declared; none when it declared none.
    static func body(of request: Request, relay: RequestBodyRelay) -> HTTPClientRequest.Body? {
        if let header = request.headers[.contentLength], let length = Int(header) {
            return length == 0 ? nil : .stream(relay.relaying(request.body), length: .known(Int64(length)))
        }
        if request.headers[.transferEncoding] != nil {
            return .stream(relay.relaying(request.body), length: .unknown)
        }
        return nil
    }

    /// A service that cannot be reached is a 503; one that does not answer in time a 504.
    static func apiError(for error: any Error, upstream: Upstream, logger: Logger) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? HTTPClientError, error == .readTimeout || error == .deadlineExceeded {
            logger.warning("upstream timed out", metadata: ["upstream": "\(upstream.rawValue)"])
            return APIError(.gatewayTimeout, "The request took too long to answer")
        }
        logger.warning("upstream unavailable", metadata: ["upstream": "\(upstream.rawValue)", "error": "\(error)"])
        return APIError.unavailable("Service temporarily unavailable")
    }
}
