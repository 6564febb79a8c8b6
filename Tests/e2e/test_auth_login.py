"""Login and the caller's own profile (POST /api/auth/login, GET /api/auth/me).

- Login is JSON {username, password} -> 200 {access_token, token_type "bearer",
  refresh_token, expires_in 900}; the username is case-insensitive.
- Unknown user or wrong password -> 401 "Incorrect username or password"
  with WWW-Authenticate: Bearer; a missing field -> 422.
- /me is the caller's UserWithQuota.
"""

from auth_client import (
    ACCESS_TOKEN_SECONDS, ADMIN_EMAIL, ADMIN_USERNAME, assert_bearer_challenge, assert_detail,
    assert_user_with_quota, assert_validation_error, login, me, register, unique_name,
)


def test_login_returns_access_and_refresh_tokens(api, admin):
    user = register(api, admin)
    response = login(api, user.username, user.password)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("token_type") == "bearer", body
    assert body.get("expires_in") == ACCESS_TOKEN_SECONDS, body
    for key in ("access_token", "refresh_token"):
        assert isinstance(body.get(key), str) and body[key], f"no {key}: {body}"
    assert body["access_token"] != body["refresh_token"]
    assert api.get("/api/auth/me", token=body["access_token"]).status_code == 200


def test_login_username_is_case_insensitive(api, admin):
    user = register(api, admin)
    response = login(api, user.username.upper(), user.password)
    assert response.status_code == 200, response.text
    profile = api.get("/api/auth/me", token=response.json()["access_token"]).json()
    assert profile["id"] == user.id
    assert profile["username"] == user.username.lower()


def test_login_with_wrong_password_is_refused(api, admin):
    user = register(api, admin)
    response = login(api, user.username, user.password + "x")
    assert_detail(response, 401, "Incorrect username or password")
    assert_bearer_challenge(response)


def test_login_of_unknown_user_is_refused_the_same_way(api):
    response = login(api, unique_name("nobody"), "password-123")
    assert_detail(response, 401, "Incorrect username or password")
    assert_bearer_challenge(response)


def test_login_without_password_is_422(api):
    response = api.post("/api/auth/login", json={"username": unique_name()})
    assert_validation_error(response, ["body", "password"])


def test_me_is_the_callers_user_with_quota(api, admin):
    user = register(api, admin)
    body = me(api, user)
    assert_user_with_quota(body)
    assert body["id"] == user.id
    assert body["username"] == user.username
    assert body["email"] == user.email
    assert body["role"] == "user"
    assert body["is_active"] is True


def test_initial_admin_logs_in_with_the_admin_role(api, admin):
    body = me(api, admin)
    assert body["username"] == ADMIN_USERNAME
    assert body["email"] == ADMIN_EMAIL
    assert body["role"] == "admin"
    assert body["is_active"] is True
