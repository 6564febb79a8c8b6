import CCurl

/// The result of `curl_global_init`, run once per process on first use.
///
/// libcurl must be initialised once before any handle is made, and only once. Swift runs
/// a global's initialiser lazily under `swift_once`, so the first send in any thread runs
/// it and every other waits for it: no singleton object, no lock of our own.
let curlGlobalInitResult: CURLcode = clipset_curl_global_init()
