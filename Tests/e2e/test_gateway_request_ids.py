"""Request ids across both hops: an `X-Request-ID` sent to the gateway is
echoed, and the gateway's and auth's logs both have a JSON line with it as
request.id (the gateway forwards it). Without one the gateway makes one up and
auth logs the same.

The services' access lines record method, path, status and duration, not the
client's address, so the X-Forwarded-For the gateway passes on is not visible
in auth's logs (auth's per-address throttles use it: see test_auth_throttling)."""

import secrets

from auth_client import register
from gateway_support import log_entry
from support import process


def test_request_id_is_echoed_and_logged_by_both_hops(gw, api, admin):
    user = register(api, admin)
    request_id = f"e2e-{secrets.token_hex(8)}"
    response = gw.get("/api/auth/me", token=user.access_token, headers={"X-Request-ID": request_id})
    assert response.status_code == 200, response.text
    assert response.headers.get("X-Request-ID") == request_id, response.headers
    for name in ("gateway", "auth"):
        entry = log_entry(process(name), request_id, {"http.path": "/api/auth/me"})
        assert entry is not None, f"no JSON line with request.id={request_id} in {process(name).log_path}"


def test_generated_request_id_reaches_the_service(gw, api, admin):
    user = register(api, admin)
    response = gw.get("/api/auth/me", token=user.access_token)
    assert response.status_code == 200, response.text
    request_id = response.headers.get("X-Request-ID")
    assert request_id, response.headers
    entry = log_entry(process("auth"), request_id, {"http.path": "/api/auth/me"})
    assert entry is not None, f"auth did not log the gateway's request id {request_id}"


def test_unacceptable_request_id_is_replaced(gw):
    response = gw.get("/api/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers.get("X-Request-ID") not in (None, "", "bad id\twith spaces"), response.headers
