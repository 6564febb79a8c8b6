"""Errors of the gateway are JSON {"detail": ...}, never HTML or an empty body:
unknown /api routes (404), methods no route takes, and paths with `..`
segments (404: the gateway judges the path it would forward, so a dot
segment could make a service see another one). Hung and stopped services
are in test_gateway_zy_outages.py."""

import secrets

import pytest

from gateway_support import assert_json_error, log_entry, raw_request
from support import process


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/", "/api/nope/deeper", "/api/usersX"])
def test_unknown_api_route_is_a_json_404(gw, path):
    assert_json_error(gw.get(path), 404)


@pytest.mark.parametrize("method,path", [
    ("PURGE", "/api/nope"),
    ("PUT", "/api/auth/login"),
    ("PROPFIND", "/api/invitations/validate/x"),
    ("DELETE", "/api/health"),
    ("POST", "/api/openapi.json"),
    ("PURGE", "/"),
])
def test_method_no_route_takes_is_a_json_error(gw, method, path):
    response = gw.request(method, path)
    assert response.status_code in (404, 405), f"{method} {path}: {response.status_code} {response.text[:300]}"
    assert_json_error(response, response.status_code)


def test_unknown_method_on_a_protected_route_is_refused_as_json(gw, admin):
    assert_json_error(gw.request("PURGE", "/api/users/"), 401)
    response = gw.request("PURGE", "/api/users/", token=admin.access_token)
    assert response.status_code in (404, 405), response.text
    assert_json_error(response, response.status_code)


DOT_PATHS = [
    "/api/../internal/routes",
    "/api/users/../../internal/routes",
    "/api/invitations/validate/../../users/",
    "/api/./users/",
    "/media/../internal/routes",
    "/media/avatars/../../openapi.json",
    "/hls/../internal/routes",
]


def dot_request(gw, admin, path: str):
    request_id = f"e2e-dots-{secrets.token_hex(6)}"
    response = raw_request(gw.base_url, "GET", path, {
        "Authorization": f"Bearer {admin.access_token}", "X-Forwarded-For": gw.ip, "X-Request-ID": request_id})
    return response, request_id


@pytest.mark.parametrize("path", DOT_PATHS)
def test_dot_segments_reach_no_service(gw, admin, path):
    response, request_id = dot_request(gw, admin, path)
    assert 400 <= response.status < 500, f"{path}: {response.status} {response.body[:300]!r}"
    assert "json" in response.headers.get("content-type", ""), f"{path}: {response.headers}"
    assert response.json().get("detail"), response.body
    for name in ("auth", "media", "social", "notify"):
        assert log_entry(process(name), request_id, timeout=0.5) is None, f"{path} reached {name}"


@pytest.mark.parametrize("path", DOT_PATHS)
def test_dot_segments_are_a_json_404(gw, admin, path):
    response, _ = dot_request(gw, admin, path)
    assert response.status == 404, f"{path}: {response.status} {response.body[:300]!r}"
    assert "json" in response.headers.get("content-type", ""), f"{path}: {response.headers}"
    assert response.json().get("detail"), response.body


@pytest.mark.parametrize("path", ["/api/users/%2e%2e/%2e%2e/internal/routes", "/api/users/%2E%2E/"])
def test_encoded_dot_segments_reach_no_other_route(gw, admin, path):
    response = raw_request(gw.base_url, "GET", path, {
        "Authorization": f"Bearer {admin.access_token}", "X-Forwarded-For": gw.ip})
    assert response.status in (404, 422), f"{path}: {response.status} {response.body[:300]!r}"
    assert "json" in response.headers.get("content-type", ""), f"{path}: {response.headers}"
    assert response.json().get("detail"), response.body
