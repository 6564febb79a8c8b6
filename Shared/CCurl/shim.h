#ifndef CLIPSET_CCURL_SHIM_H
#define CLIPSET_CCURL_SHIM_H
/*
 * libcurl for Swift. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift
 * cannot call, and CURL_GLOBAL_DEFAULT is a macro of macros, which it cannot import:
 * these wrappers take one typed argument each.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/* Options whose argument is a long (flags, timeouts, CURLUSESSL_*). */
static inline CURLcode clipset_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/* Options whose argument is a C string; libcurl copies it. */
static inline CURLcode clipset_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/* Options whose argument is a pointer kept by libcurl (a list, a buffer, callback data). */
static inline CURLcode clipset_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_READFUNCTION: the upload source. */
static inline CURLcode clipset_curl_setopt_read_callback(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

/* Information of type long (CURLINFO_RESPONSE_CODE). */
static inline CURLcode clipset_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* curl_global_init with the default flags (SSL and, on Windows, Winsock). */
static inline CURLcode clipset_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Size of the buffer CURLOPT_ERRORBUFFER writes into. */
static const size_t clipset_curl_error_size = CURL_ERROR_SIZE;
#endif
