"""CORS (test setting CORS_ORIGINS=http://allowed.example).

- A preflight from an allowed origin is answered by the gateway: 204 with
  Allow-Origin (that origin), Allow-Credentials true, Allow-Methods with the
  method asked, Allow-Headers echoing the headers asked, Vary: Origin.
- Actual responses to an allowed origin carry Allow-Origin and Expose-Headers
  (X-Request-ID among them) — error responses too, or the browser hides them.
- Another origin gets no Allow-Origin, on preflights or responses.
"""

import pytest

from auth_client import register

ALLOWED = "http://allowed.example"
EVIL = "http://evil.example"


def preflight(gw, origin: str, path: str = "/api/auth/login"):
    return gw.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})


def test_preflight_from_an_allowed_origin(gw):
    response = preflight(gw, ALLOWED)
    assert response.status_code == 204, response.text
    headers = response.headers
    assert headers.get("Access-Control-Allow-Origin") == ALLOWED, headers
    assert headers.get("Access-Control-Allow-Credentials") == "true", headers
    methods = [m.strip() for m in headers.get("Access-Control-Allow-Methods", "").split(",")]
    assert "POST" in methods, headers
    allowed_headers = {h.strip().lower() for h in headers.get("Access-Control-Allow-Headers", "").split(",")}
    assert {"authorization", "content-type"} <= allowed_headers, headers
    assert "origin" in headers.get("Vary", "").lower(), headers


def test_preflight_of_a_protected_path_needs_no_token(gw):
    response = preflight(gw, ALLOWED, "/api/users/me/avatar")
    assert response.status_code == 204, response.text
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED, response.headers


def test_response_to_an_allowed_origin(gw, api, admin):
    user = register(api, admin)
    for response in (gw.get("/api/auth/me", token=user.access_token, headers={"Origin": ALLOWED}),
                     gw.get("/api/health", headers={"Origin": ALLOWED})):
        assert response.status_code == 200, response.text
        assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED, response.headers
        assert response.headers.get("Access-Control-Allow-Credentials") == "true", response.headers
        exposed = {h.strip().lower() for h in response.headers.get("Access-Control-Expose-Headers", "").split(",")}
        assert "x-request-id" in exposed, response.headers
        assert "origin" in response.headers.get("Vary", "").lower(), response.headers


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/nope"])
def test_gateway_errors_to_an_allowed_origin_are_readable(gw, path):
    # A browser app must read a 401 (to refresh its token) or a 404 / 429 from the edge.
    response = gw.get(path, headers={"Origin": ALLOWED})
    assert response.status_code in (401, 404), response.text
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED, \
        f"{response.status_code} from the edge without CORS headers: {dict(response.headers)}"


def test_other_origin_gets_no_cors_headers(gw):
    response = preflight(gw, EVIL)
    assert "Access-Control-Allow-Origin" not in response.headers, response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers, response.headers
    response = gw.get("/api/health", headers={"Origin": EVIL})
    assert response.status_code == 200, response.text
    assert "Access-Control-Allow-Origin" not in response.headers, response.headers
