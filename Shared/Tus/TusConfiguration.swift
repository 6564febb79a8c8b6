import Foundation

/// What the service decides about its tus endpoint.
package struct TusConfiguration: Sendable {
    /// The folder of the uploads, e.g. the media root's `temp/tus/`: one data file and one
    /// `<id>.info` JSON file per upload. Replicas may share it; created when missing.
    package var directory: String
    /// The absolute path the routes are mounted at, without a trailing slash; the `Location`
    /// of a new upload is `<locationPrefix>/<id>`.
    package var locationPrefix: String
    /// The largest `Upload-Length` accepted (`Tus-Max-Size`); larger is a 413.
    package var maxSize: Int64
    /// How long an upload lives after its creation or its last PATCH (`Upload-Expires`).
    package var expiry: Duration
    /// Bytes of request body gathered before each write to the data file; bounds the memory
    /// one request holds (plus one chunk as the connection delivers it).
    package var chunkSize: Int
    /// The current time; tests pass a clock they move.
    package var now: @Sendable () -> Date

    package init(
        directory: String,
        locationPrefix: String = "/api/uploads",
        maxSize: Int64,
        expiry: Duration = .seconds(24 * 60 * 60),
        chunkSize: Int = 256 * 1024,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.directory = directory
        self.locationPrefix = locationPrefix.hasSuffix("/") ? String(locationPrefix.dropLast()) : locationPrefix
        self.maxSize = maxSize
        self.expiry = expiry
        self.chunkSize = max(1, chunkSize)
        self.now = now
    }

    /// The expiry as seconds, for date arithmetic.
    var expiryInterval: TimeInterval {
        let (seconds, attoseconds) = expiry.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
