"""Password reset: forgot-password, verify-reset-token, reset-password and
the admin's generate-reset-link.

- forgot-password always answers 200 with the same message; for an account it
  emits auth.password_reset.requested with the reset link (1 h).
- Tokens are single use; a reset changes the password and revokes the user's
  refresh tokens.
- The admin's link lives 24 h and emits the event with requested_by_admin true.
"""

import re
import secrets

from auth_client import (
    PUBLIC_URL, assert_detail, assert_validation_error, login, random_uuid, register, seconds_from_now,
)

FORGOT_MESSAGE = "If an account exists with this email, a reset link has been sent."
RESET_LINK = re.compile(r"^" + re.escape(PUBLIC_URL) + r"/reset-password\?token=([A-Za-z0-9_-]{43})$")


def forgot(api, email: str):
    return api.post("/api/auth/forgot-password", json={"email": email})


def requested_token(api, user, events) -> str:
    """Asks for a reset link for `user` and returns the token its event carries."""
    listener = events("auth.password_reset.requested")
    response = forgot(api, user.email)
    assert response.status_code == 200, response.text
    event = listener.wait_for("auth.password_reset.requested", user_id=user.id)
    match = RESET_LINK.match(event["data"]["reset_link"])
    assert match, f"reset_link is not {PUBLIC_URL}/reset-password?token=<43 chars>: {event['data']}"
    return match.group(1)


def reset(api, token: str, password: str):
    return api.post("/api/auth/reset-password", json={"token": token, "password": password})


def test_forgot_password_for_unknown_email_says_the_same(api):
    response = forgot(api, f"nobody_{secrets.token_hex(6)}@example.com")
    assert response.status_code == 200, response.text
    assert response.json() == {"message": FORGOT_MESSAGE}


def test_forgot_password_emits_the_reset_link(api, admin, events):
    user = register(api, admin)
    listener = events("auth.password_reset.requested")
    response = forgot(api, user.email)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": FORGOT_MESSAGE}
    event = listener.wait_for("auth.password_reset.requested", user_id=user.id)
    data = event["data"]
    assert event["producer"] == "auth", event
    assert data["email"] == user.email and data["username"] == user.username, data
    assert data["requested_by_admin"] is False, data
    assert RESET_LINK.match(data["reset_link"]), data
    assert abs(seconds_from_now(data["expires_at"]) - 3600) < 120, f"link does not expire in 1 h: {data}"


def test_forgot_password_with_invalid_email_is_422(api):
    assert_validation_error(forgot(api, "not-an-email"), ["body", "email"])


def test_verify_reset_token_names_the_user(api, admin, events):
    user = register(api, admin)
    token = requested_token(api, user, events)
    response = api.get("/api/auth/verify-reset-token", params={"token": token})
    assert response.status_code == 200, response.text
    assert response.json() == {"username": user.username}


def test_verify_unknown_reset_token_is_400(api):
    response = api.get("/api/auth/verify-reset-token", params={"token": secrets.token_urlsafe(32)})
    assert_detail(response, 400, "Invalid or expired token")


def test_verify_reset_token_without_token_is_422(api):
    assert_validation_error(api.get("/api/auth/verify-reset-token"), ["query", "token"])


def test_reset_password_replaces_the_password(api, admin, events):
    user = register(api, admin)
    token = requested_token(api, user, events)
    response = reset(api, token, "new-password-1")
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Password reset successfully"}
    assert_detail(login(api, user.username, user.password), 401, "Incorrect username or password")
    assert login(api, user.username, "new-password-1").status_code == 200


def test_reset_token_is_single_use(api, admin, events):
    user = register(api, admin)
    token = requested_token(api, user, events)
    assert reset(api, token, "new-password-1").status_code == 200
    assert_detail(reset(api, token, "new-password-2"), 400, "Invalid or expired token")
    response = api.get("/api/auth/verify-reset-token", params={"token": token})
    assert_detail(response, 400, "Invalid or expired token")
    assert login(api, user.username, "new-password-1").status_code == 200


def test_reset_revokes_refresh_tokens(api, admin, events):
    user = register(api, admin)
    token = requested_token(api, user, events)
    assert reset(api, token, "new-password-1").status_code == 200
    response = api.post("/api/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_detail(response, 401, "Invalid refresh token")


def test_reset_with_unknown_token_is_400(api):
    assert_detail(reset(api, secrets.token_urlsafe(32), "new-password-1"), 400, "Invalid or expired token")


def test_short_new_password_is_422_and_keeps_the_token(api, admin, events):
    user = register(api, admin)
    token = requested_token(api, user, events)
    assert_validation_error(reset(api, token, "short"), ["body", "password"])
    response = api.get("/api/auth/verify-reset-token", params={"token": token})
    assert response.status_code == 200, f"a rejected request used up the token: {response.text}"


def test_admin_generates_a_reset_link(api, admin, events):
    user = register(api, admin)
    listener = events("auth.password_reset.requested")
    response = api.post(f"/api/users/{user.id}/generate-reset-link", token=admin.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    match = RESET_LINK.match(body.get("reset_link", ""))
    assert match, body
    assert abs(seconds_from_now(body["expires_at"]) - 24 * 3600) < 120, f"link does not expire in 24 h: {body}"
    event = listener.wait_for("auth.password_reset.requested", user_id=user.id)
    assert event["data"]["requested_by_admin"] is True, event
    assert event["data"]["reset_link"] == body["reset_link"], event
    assert reset(api, match.group(1), "admin-set-pw-1").status_code == 200
    assert login(api, user.username, "admin-set-pw-1").status_code == 200


def test_generate_reset_link_for_unknown_user_is_404(api, admin):
    response = api.post(f"/api/users/{random_uuid()}/generate-reset-link", token=admin.access_token)
    assert_detail(response, 404, "User not found")
