"""Odd input never breaks auth: a body that is not JSON, a JSON array or
null instead of an object, fields of the wrong type, huge strings and
unicode get a 4xx (or the route's normal answer) with a JSON body, never a
500."""

import secrets

import pytest

from auth_client import assert_json, assert_validation_error, invite, login, register_body, unique_name

HUGE = "x" * 100_000
LONG = "x" * 4000  # long, yet within any sane limit of a request line
BODY_ROUTES = [
    "/api/auth/login", "/api/auth/register", "/api/auth/forgot-password", "/api/auth/reset-password",
    "/api/auth/refresh", "/api/auth/logout", "/api/invitations/",
]
# One string field of each route's body, given a number in the wrong-type test.
STRING_FIELD = {
    "/api/auth/login": "username", "/api/auth/register": "username", "/api/auth/forgot-password": "email",
    "/api/auth/reset-password": "token", "/api/auth/refresh": "refresh_token", "/api/auth/logout": "refresh_token",
    "/api/invitations/": "email",
}


def valid_body(path: str) -> dict:
    """A well-formed body of `path` that does nothing harmful."""
    name = unique_name("odd")
    return {
        "/api/auth/login": {"username": name, "password": "password-123"},
        "/api/auth/register": {"email": f"{name}@example.com", "username": name, "password": "password-123",
                               "invitation_token": secrets.token_urlsafe(32)},
        "/api/auth/forgot-password": {"email": f"{name}@example.com"},
        "/api/auth/reset-password": {"token": secrets.token_urlsafe(32), "password": "password-123"},
        "/api/auth/refresh": {"refresh_token": secrets.token_urlsafe(32)},
        "/api/auth/logout": {"refresh_token": secrets.token_urlsafe(32)},
        "/api/invitations/": {"email": f"{name}@example.com"},
    }[path]


def post(api, admin, path: str, **kwargs):
    token = admin.access_token if path.startswith("/api/invitations") else None
    return api.post(path, token=token, **kwargs)


def assert_client_error(response, allowed=range(400, 500)) -> None:
    assert response.status_code in allowed, f"got {response.status_code}: {response.text[:300]}"
    body = assert_json(response)
    if response.status_code >= 400:
        assert isinstance(body, dict) and "detail" in body, f"error without detail: {body}"


@pytest.mark.parametrize("path", BODY_ROUTES)
@pytest.mark.parametrize("raw", [b"not json", b"{\"username\": ", b"", b"null", b"[]", b"[{\"a\": 1}]", b"42"],
                         ids=["text", "truncated", "empty", "null", "array", "array-of-object", "number"])
def test_body_that_is_not_an_object_is_a_client_error(api, admin, path, raw):
    response = post(api, admin, path, data=raw, headers={"Content-Type": "application/json"})
    assert_client_error(response, (400, 422))


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_field_of_the_wrong_type_is_422(api, admin, path):
    body = valid_body(path)
    field = STRING_FIELD[path]
    body[field] = 12345
    assert_validation_error(post(api, admin, path, json=body), ["body", field])


@pytest.mark.parametrize("path", BODY_ROUTES)
@pytest.mark.parametrize("value", [HUGE, "ユーザー名_ü_🎬", "\u0000nul", "'; DROP TABLE users; --"],
                         ids=["huge", "unicode", "nul", "sql"])
def test_odd_strings_never_break_the_service(api, admin, path, value):
    for field in valid_body(path):
        body = valid_body(path)
        body[field] = value if field != "email" else f"{value}@example.com"
        response = post(api, admin, path, json=body)
        assert_client_error(response, range(200, 500))


def test_login_with_huge_password_is_refused(api):
    response = login(api, unique_name(), HUGE)
    assert response.status_code == 401, response.text


def test_register_with_huge_password_never_breaks(api, admin):
    invitation = invite(api, admin, f"{unique_name()}@example.com")
    body = register_body(invitation, unique_name(), password=HUGE)
    response = api.post("/api/auth/register", json=body)
    assert_client_error(response, (201, 400, 422))
    if response.status_code == 201:
        assert login(api, body["username"], HUGE).status_code == 200


@pytest.mark.parametrize("token", [LONG, "ユーザー", "%00", "..%2F..%2Fetc"],
                         ids=["long", "unicode", "nul", "dots"])
def test_odd_tokens_in_query_and_path(api, token):
    response = api.get("/api/auth/verify-reset-token", params={"token": token})
    assert_client_error(response, (400,))
    response = api.get(f"/api/invitations/validate/{token}")
    assert_client_error(response, range(200, 500))
    if response.status_code == 200:
        assert response.json()["valid"] is False, response.text


@pytest.mark.parametrize("path", ["/api/users/%00", "/api/users/" + "9" * 2000, "/api/users/ユーザー"],
                         ids=["nul", "long", "unicode"])
def test_odd_user_ids_are_client_errors(api, admin, path):
    response = api.get(path, token=admin.access_token)
    assert_client_error(response)
