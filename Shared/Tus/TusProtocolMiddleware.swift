import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

/// The rules of tus that hold for every request of the endpoint.
///
/// Every request but OPTIONS must say `Tus-Resumable: 1.0.0` (412 with `Tus-Version`
/// otherwise), and every response, errors included, says it back. Errors stay errors, so the
/// service's `ErrorMiddleware` renders them in the API's shape; only a HEAD's error is answered
/// here, because a response to HEAD must not carry the JSON body.
struct TusProtocolMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let version: HTTPFields = [TusHeader.resumable: TusHeader.protocolVersion]
        do {
            guard request.method == .options || request.headers[TusHeader.resumable] == TusHeader.protocolVersion else {
                throw TusError.unsupportedVersion()
            }
            var response = try await next(request, context)
            response.headers[TusHeader.resumable] = TusHeader.protocolVersion
            return response
        } catch let error as APIError {
            let error = error.adding(headers: version)
            guard request.method == .head else { throw error }
            return Response(status: error.status, headers: error.headers)
        } catch var error as HTTPError {
            error.headers[TusHeader.resumable] = TusHeader.protocolVersion
            guard request.method == .head else { throw error }
            return Response(status: error.status, headers: error.headers)
        } catch where request.method == .head {
            context.logger.error("tus HEAD failed", metadata: ["error": "\(String(reflecting: error))"])
            return Response(status: .internalServerError, headers: version)
        }
    }
}
