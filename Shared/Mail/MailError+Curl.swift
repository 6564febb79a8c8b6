import CCurl

extension MailError {
    /// The error for a failed libcurl call, from its code, its error text and the server's
    /// last reply code (0 when the server never answered).
    ///
    /// libcurl reports a refused `RCPT TO`, `MAIL FROM` or `DATA` as `CURLE_SEND_ERROR` with
    /// the text `RCPT failed: 550`, and a refused end of data as `CURLE_WEIRD_SERVER_REPLY`;
    /// the reply code tells those apart from a dropped connection.
    static func curl(_ code: CURLcode, detail: String, responseCode: Int?) -> MailError {
        let refused = responseCode.map { $0 >= 400 } ?? false
        let kind: Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_GOT_NOTHING, CURLE_RECV_ERROR:
            kind = .connectionFailed
        case CURLE_SEND_ERROR where refused && detail.hasPrefix("RCPT"):
            kind = .recipientRejected
        case CURLE_SEND_ERROR where refused, CURLE_WEIRD_SERVER_REPLY where refused:
            kind = .messageRejected
        case CURLE_SEND_ERROR:
            kind = .connectionFailed
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
        case CURLE_LOGIN_DENIED:
            kind = .authenticationFailed
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM:
            kind = .tlsFailed
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidSettings
        default:
            kind = .other(curlCode: Int(code.rawValue))
        }
        return MailError(kind, detail, responseCode: responseCode)
    }
}
