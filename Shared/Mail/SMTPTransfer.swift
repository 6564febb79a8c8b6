import CCurl

/// One SMTP delivery with libcurl's easy interface: connect, optionally STARTTLS and AUTH,
/// `MAIL FROM`, one `RCPT TO` per recipient, `DATA` with the rendered message.
///
/// ``perform()`` blocks for the whole conversation: call it only on a thread pool.
struct SMTPTransfer: Sendable {
    let settings: SMTPSettings
    let sender: String
    let recipients: [String]
    let payload: [UInt8]

    /// Runs the conversation; throws ``MailError``.
    func perform() throws {
        guard curlGlobalInitResult == CURLE_OK else {
            throw MailError(.other(curlCode: Int(curlGlobalInitResult.rawValue)), "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw MailError(.other(curlCode: Int(CURLE_FAILED_INIT.rawValue)), "curl_easy_init failed")
        }
        defer { curl_easy_cleanup(handle) }

        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipientList) }
        for recipient in recipients {
            guard let appended = curl_slist_append(recipientList, "<\(recipient)>") else {
                throw MailError(.other(curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue)), "curl_slist_append failed")
            }
            recipientList = appended
        }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: clipset_curl_error_size)
        errorBuffer.initialize(repeating: 0, count: clipset_curl_error_size)
        defer { errorBuffer.deallocate() }

        let source = UploadSource(payload)
        try configure(handle, recipients: recipientList, errorBuffer: errorBuffer)
        try check(clipset_curl_setopt_read_callback(handle, UploadSource.read))
        // libcurl keeps this pointer until the transfer ends; `source` outlives it below.
        try check(clipset_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()))

        let code = withExtendedLifetime(source) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            var response = 0
            _ = clipset_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
            let detail = String(cString: errorBuffer)
            throw MailError.curl(code, detail: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                                 responseCode: response == 0 ? nil : response)
        }
    }

    /// Sets every option but the upload source.
    private func configure(
        _ handle: UnsafeMutableRawPointer, recipients: UnsafeMutablePointer<curl_slist>?,
        errorBuffer: UnsafeMutablePointer<CChar>
    ) throws {
        // Signals would hit an arbitrary thread of the process; timeouts work without them.
        try check(clipset_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(clipset_curl_setopt_string(handle, CURLOPT_URL, settings.curlURL))
        try check(clipset_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        try check(clipset_curl_setopt_long(handle, CURLOPT_UPLOAD, 1))
        try check(clipset_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>"))
        try check(clipset_curl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients)))
        try check(clipset_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        try check(clipset_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(settings.connectTimeout)))
        try check(clipset_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(settings.timeout)))
        let useSSL: curl_usessl = switch settings.security {
        case .startTLSIfOffered: CURLUSESSL_TRY
        case .startTLSRequired, .implicitTLS: CURLUSESSL_ALL
        }
        try check(clipset_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)))
        if let caFile = settings.caFile {
            try check(clipset_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        if let username = settings.username {
            try check(clipset_curl_setopt_string(handle, CURLOPT_USERNAME, username))
            try check(clipset_curl_setopt_string(handle, CURLOPT_PASSWORD, settings.password ?? ""))
        }
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw MailError.curl(code, detail: String(cString: curl_easy_strerror(code)), responseCode: nil)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
