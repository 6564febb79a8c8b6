/// A failure to build, send or store an email.
///
/// Callers decide on retries with ``isRetriable``: a connection that could not be made, a
/// timeout and a temporary (4xx) refusal may succeed later; a refused login, a permanent (5xx)
/// refusal or an invalid message never will.
package struct MailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    package enum Kind: Sendable, Hashable {
        /// The message cannot be rendered safely (CR or LF in a header, a malformed address).
        case invalidMessage
        /// The SMTP URL or settings are invalid.
        case invalidSettings
        /// No SMTP conversation could be held: refused, unreachable, or the connection dropped.
        case connectionFailed
        /// The server did not answer within the configured time.
        case timedOut
        /// TLS could not be set up: STARTTLS required but not offered, or an untrusted certificate.
        case tlsFailed
        /// The server refused the login.
        case authenticationFailed
        /// The server refused a recipient (`RCPT TO`).
        case recipientRejected
        /// The server refused the sender or the message itself (`MAIL FROM`, `DATA`).
        case messageRejected
        /// A mail file could not be written.
        case writeFailed
        /// Any other libcurl failure, with its `CURLcode`.
        case other(curlCode: Int)
    }

    /// What went wrong.
    package let kind: Kind
    /// What libcurl, the server or the validation said.
    package let message: String
    /// The SMTP server's last reply code (for example 550), when the server answered.
    package let responseCode: Int?

    /// Creates an error of the given kind.
    package init(_ kind: Kind, _ message: String, responseCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.responseCode = responseCode
    }

    /// Whether sending the same message later may succeed.
    package var isRetriable: Bool {
        switch kind {
        case .connectionFailed, .timedOut: true
        case .recipientRejected, .messageRejected: responseCode.map { (400..<500).contains($0) } ?? false
        default: false
        }
    }

    package var description: String {
        "MailError.\(kind): \(message)" + (responseCode.map { " (SMTP \($0))" } ?? "")
    }
}
