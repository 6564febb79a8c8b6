import Hummingbird
import Identity

/// `GET /.well-known/jwks.json`: the public keys every service verifies tokens with.
struct KeysController {
    let keys: SigningKeyRing

    func addRoutes(to router: Router<ClipsetRequestContext>) {
        router.get(".well-known/jwks.json") { request, context -> Response in
            var response = try keys.jwks.response(from: request, context: context)
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
    }
}

extension JWKSDocument: ResponseEncodable {}
