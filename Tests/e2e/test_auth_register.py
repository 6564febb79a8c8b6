"""Registration by invitation (POST /api/auth/register).

- 201 UserWithQuota (counts 0, avatar null, quota 0), username and email
  lower-cased, no token; the invitation is marked used; event
  auth.user.registered.
- Errors, checked in this order: 400 "Invalid or expired invitation token",
  "Email does not match invitation", "Email already registered",
  "Username already taken"; 422 for invalid fields.
"""

import secrets

import pytest

from auth_client import (
    assert_datetime, assert_detail, assert_user_with_quota, assert_validation_error, invite, login_tokens, register,
    register_body, unique_name,
)


def post_register(api, body: dict):
    return api.post("/api/auth/register", json=body)


def fresh_invitation(api, admin) -> dict:
    return invite(api, admin, f"{unique_name('reg')}@example.com")


def test_register_returns_the_new_user(api, admin):
    username = unique_name("Reg")
    email = f"{username}@Example.COM"
    invitation = invite(api, admin, email)
    response = post_register(api, register_body(invitation, username.upper(), email, "password-123"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert_user_with_quota(body)
    assert body["username"] == username.lower()
    assert body["email"] == email.lower()
    assert body["role"] == "user" and body["is_active"] is True, body
    assert body["video_count"] == 0 and body["playlist_count"] == 0, body
    assert body["avatar_url"] is None and body["weekly_upload_bytes"] == 0, body
    assert "access_token" not in body, "registration must not log in"
    tokens = login_tokens(api, username, "password-123")
    assert api.get("/api/auth/me", token=tokens["access_token"]).json()["id"] == body["id"]


def test_register_emits_user_registered(api, admin, events):
    listener = events("auth.user.registered")
    user = register(api, admin)
    event = listener.wait_for("auth.user.registered", user_id=user.id)
    assert event["producer"] == "auth" and event["version"] == 1, event
    data = event["data"]
    assert data["username"] == user.username and data["email"] == user.email, data
    assert data["role"] == "user" and data.get("created_at"), data


def test_register_marks_the_invitation_used(api, admin):
    invitation = fresh_invitation(api, admin)
    assert post_register(api, register_body(invitation, unique_name())).status_code == 201
    listed = api.get("/api/invitations/", params={"limit": 100}, token=admin.access_token).json()
    entry = next((item for item in listed if item["id"] == invitation["id"]), None)
    assert entry is not None, "the used invitation is no longer listed"
    assert entry["used"] is True, entry
    assert_datetime(entry["used_at"], "used_at")


def test_invitation_cannot_be_used_twice(api, admin):
    invitation = fresh_invitation(api, admin)
    assert post_register(api, register_body(invitation, unique_name())).status_code == 201
    response = post_register(api, register_body(invitation, unique_name()))
    assert_detail(response, 400, "Invalid or expired invitation token")


def test_unknown_invitation_token(api):
    body = {"email": f"{unique_name()}@example.com", "username": unique_name(), "password": "password-123",
            "invitation_token": secrets.token_urlsafe(32)}
    assert_detail(post_register(api, body), 400, "Invalid or expired invitation token")


def test_email_must_match_the_invitation(api, admin):
    invitation = fresh_invitation(api, admin)
    body = register_body(invitation, unique_name(), email=f"{unique_name()}@example.com")
    assert_detail(post_register(api, body), 400, "Email does not match invitation")


def test_email_already_registered(api, admin):
    user = register(api, admin)
    invitation = invite(api, admin, user.email)
    assert_detail(post_register(api, register_body(invitation, unique_name())), 400, "Email already registered")


def test_username_already_taken_ignores_case(api, admin):
    user = register(api, admin)
    invitation = fresh_invitation(api, admin)
    body = register_body(invitation, user.username.upper())
    assert_detail(post_register(api, body), 400, "Username already taken")


def test_errors_are_checked_in_order(api, admin):
    user = register(api, admin)
    used = fresh_invitation(api, admin)
    assert post_register(api, register_body(used, unique_name())).status_code == 201
    body = register_body(used, user.username, email=user.email)
    assert_detail(post_register(api, body), 400, "Invalid or expired invitation token")

    other = fresh_invitation(api, admin)
    body = register_body(other, user.username, email=user.email)
    assert_detail(post_register(api, body), 400, "Email does not match invitation")

    for_existing = invite(api, admin, user.email)
    body = register_body(for_existing, user.username)
    assert_detail(post_register(api, body), 400, "Email already registered")


@pytest.mark.parametrize("field,value", [
    ("username", "ab"),
    ("username", "a" * 51),
    ("username", "bad-name"),
    ("username", "bad name"),
    ("username", "ünïcode_name"),
    ("password", "seven77"),
    ("email", "not-an-email"),
])
def test_invalid_field_is_422(api, admin, field, value):
    invitation = fresh_invitation(api, admin)
    body = register_body(invitation, unique_name())
    body[field] = value
    assert_validation_error(post_register(api, body), ["body", field])


def test_missing_invitation_token_is_422(api):
    body = {"email": f"{unique_name()}@example.com", "username": unique_name(), "password": "password-123"}
    assert_validation_error(post_register(api, body), ["body", "invitation_token"])


def test_validation_error_leaves_the_invitation_usable(api, admin):
    invitation = fresh_invitation(api, admin)
    body = register_body(invitation, unique_name(), password="short")
    assert post_register(api, body).status_code == 422
    assert post_register(api, register_body(invitation, unique_name())).status_code == 201


def test_username_of_50_characters_and_password_of_8(api, admin):
    username = ("U_" + secrets.token_hex(24))[:50]
    invitation = fresh_invitation(api, admin)
    response = post_register(api, register_body(invitation, username, password="8-chars!"))
    assert response.status_code == 201, response.text
    assert response.json()["username"] == username.lower()


def test_local_domain_email_registers(api, admin):
    user = register(api, admin, email=f"{unique_name()}@Clipset.Local")
    assert user.email.endswith("@clipset.local")
    assert api.get("/api/auth/me", token=user.access_token).json()["email"] == user.email
