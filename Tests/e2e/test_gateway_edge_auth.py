"""Authentication at the edge: the gateway refuses protected paths itself,
before any service sees them, and lets public paths through.

- No token -> 401 {"detail": "Not authenticated"} + WWW-Authenticate: Bearer;
  a garbage token -> 401 "Could not validate credentials" — for a path of
  every service. With a valid token the request reaches the service, which
  logs it under the request's id (so the 401s did not reach it).
- Public paths need no token: login, registration, JWKS, /api/health,
  /api/openapi.json and the UI.
- Streaming routes also take `?token=`: a valid one passes the edge, garbage
  is a 401.
"""

import secrets

import pytest

from auth_client import assert_bearer_challenge, assert_detail, register
from gateway_support import assert_json_error, log_entry
from support import process

# A protected path of each service, and the service behind it.
PROTECTED = [
    ("/api/users/", "auth"),
    ("/api/videos/", "media"),
    ("/api/config/", "media"),
    ("/api/playlists/", "social"),
    ("/api/notifications/preferences", "notify"),
]
GARBAGE = "not.a.token"


def request_id() -> str:
    return f"e2e-edge-{secrets.token_hex(6)}"


@pytest.mark.parametrize("path,service", PROTECTED)
def test_no_token_is_refused_at_the_edge(gw, path, service):
    rid = request_id()
    response = gw.get(path, headers={"X-Request-ID": rid})
    assert_detail(response, 401, "Not authenticated")
    assert_bearer_challenge(response)
    assert log_entry(process(service), rid, timeout=1) is None, f"{service} saw a request the edge refused"


@pytest.mark.parametrize("path,service", PROTECTED)
def test_garbage_token_is_refused_at_the_edge(gw, path, service):
    rid = request_id()
    response = gw.get(path, token=GARBAGE, headers={"X-Request-ID": rid})
    assert_detail(response, 401, "Could not validate credentials")
    assert_bearer_challenge(response)
    assert log_entry(process(service), rid, timeout=1) is None, f"{service} saw a request the edge refused"


# What a plain user's valid token gets from the service itself: a list, an admin route's 403,
# and an unknown path is the service's own 404.
REACHED = [("/api/videos/", "media", 200), ("/api/config/", "media", 403), ("/api/playlists/", "social", 200),
           ("/api/playlists/e2e/no/such/route", "social", 404)]


@pytest.mark.parametrize("path,service,status", REACHED)
def test_valid_token_reaches_the_service(gw, api, admin, path, service, status):
    user = register(api, admin)
    rid = request_id()
    response = gw.get(path, token=user.access_token, headers={"X-Request-ID": rid})
    if status < 400:
        assert response.status_code == status, response.text[:300]
    else:
        assert_json_error(response, status)
    entry = log_entry(process(service), rid, {"http.path": path, "http.status": status})
    assert entry is not None, f"{service} logged no {status} for {path} under request.id {rid}"


def test_public_paths_need_no_token(gw, api, admin):
    user = register(api, admin)
    response = gw.post("/api/auth/login", json={"username": user.username, "password": user.password})
    assert response.status_code == 200, response.text
    # Registration reaches auth's validation (a 422), not a 401.
    response = gw.post("/api/auth/register", json={})
    assert response.status_code == 422, response.text
    for path in ("/.well-known/jwks.json", "/api/health", "/api/openapi.json", "/"):
        response = gw.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"


def test_streaming_route_takes_a_query_token(gw, api, admin):
    user = register(api, admin)
    path = "/api/videos/abc/stream-info"
    rid = request_id()
    response = gw.get(path, params={"token": user.access_token}, headers={"X-Request-ID": rid})
    assert_json_error(response, 404)
    assert log_entry(process("media"), rid, {"http.path": path}) is not None, "media did not see the request"
    assert_detail(gw.get(path, params={"token": GARBAGE}), 401, "Could not validate credentials")
    assert_detail(gw.get(path), 401, "Not authenticated")


def test_query_token_is_not_accepted_on_other_routes(gw, api, admin):
    user = register(api, admin)
    response = gw.get("/api/auth/me", params={"token": user.access_token})
    assert_detail(response, 401, "Not authenticated")
