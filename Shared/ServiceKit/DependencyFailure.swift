/// An error that may mean a dependency (PostgreSQL, Redis, the broker) is
/// unreachable rather than that the request or the code is wrong. The edge
/// answers such errors with a 503 and `Retry-After`, as Part A of the API asks,
/// instead of a 500. Client libraries' errors conform in `Infrastructure`.
package protocol DependencyFailure: Error {
    /// Whether this error means the dependency cannot be reached right now.
    var isUnavailable: Bool { get }
}
