"""Deactivation and activation of users (admin), on auth and on notify.

- DELETE /api/users/{id} -> "User deactivated successfully"; the user's tokens
  get 403 "Inactive user" on auth at once and on other services within 5 s;
  login with the right password -> 403 "Inactive user".
- POST /api/users/{id}/activate -> "User activated successfully"; access is back.
- Events auth.user.deactivated / auth.user.activated carry the user_id.
"""

from auth_client import Api, assert_detail, login, random_uuid, register
from auth_jwt import claims_for, unsigned
from support import wait_for

INACTIVE = "Inactive user"
PROPAGATION_SECONDS = 5
PREFERENCES = "/api/notifications/preferences"


def deactivate(api, admin, user):
    return api.delete(f"/api/users/{user.id}", token=admin.access_token)


def activate(api, admin, user):
    return api.post(f"/api/users/{user.id}/activate", token=admin.access_token)


def test_deactivated_user_is_refused_on_auth(api, admin):
    user = register(api, admin)
    response = deactivate(api, admin, user)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "User deactivated successfully"}
    for path in ("/api/auth/me", "/api/users/directory", f"/api/users/{user.id}"):
        assert_detail(api.get(path, token=user.access_token), 403, INACTIVE)
    assert_detail(login(api, user.username, user.password), 403, INACTIVE)


def test_activated_user_gets_access_back(api, admin):
    user = register(api, admin)
    assert deactivate(api, admin, user).status_code == 200
    response = activate(api, admin, user)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "User activated successfully"}
    profile = api.get("/api/auth/me", token=user.access_token)
    assert profile.status_code == 200 and profile.json()["is_active"] is True, profile.text
    assert login(api, user.username, user.password).status_code == 200


def test_deactivation_and_activation_emit_events(api, admin, events):
    user = register(api, admin)
    listener = events("auth.user.deactivated", "auth.user.activated")
    assert deactivate(api, admin, user).status_code == 200
    listener.wait_for("auth.user.deactivated", user_id=user.id)
    assert activate(api, admin, user).status_code == 200
    event = listener.wait_for("auth.user.activated", user_id=user.id)
    assert event["producer"] == "auth", event


def test_admin_cannot_deactivate_themself(api, admin):
    assert_detail(api.delete(f"/api/users/{admin.id}", token=admin.access_token), 400, "Cannot delete yourself")
    assert api.get("/api/auth/me", token=admin.access_token).status_code == 200


def test_deactivate_unknown_user_is_404(api, admin):
    assert_detail(api.delete(f"/api/users/{random_uuid()}", token=admin.access_token), 404, "User not found")


def test_activate_unknown_user_is_404(api, admin):
    response = api.post(f"/api/users/{random_uuid()}/activate", token=admin.access_token)
    assert_detail(response, 404, "User not found")


def answer(session, token: str, status: int):
    """notify's answer to GET /api/notifications/preferences when it is `status`, else None."""
    response = session.get(PREFERENCES, token=token)
    return response if response.status_code == status else None


def test_notify_follows_deactivation(api, admin, notify):
    user = register(api, admin)
    with Api(notify.url, api.ip) as on_notify:
        response = on_notify.get(PREFERENCES, token=user.access_token)
        assert response.status_code == 200, f"notify refused a valid token: {response.status_code} {response.text}"
        assert isinstance(response.json(), dict), response.text

        assert deactivate(api, admin, user).status_code == 200
        refused = wait_for(lambda: answer(on_notify, user.access_token, 403), PROPAGATION_SECONDS)
        assert refused is not None, f"notify still accepts a deactivated user's token after {PROPAGATION_SECONDS} s"
        assert_detail(refused, 403, INACTIVE)

        assert activate(api, admin, user).status_code == 200
        back = wait_for(lambda: answer(on_notify, user.access_token, 200), PROPAGATION_SECONDS)
        assert back is not None, f"notify still refuses an activated user's token after {PROPAGATION_SECONDS} s"


def test_notify_refuses_forged_tokens(api, admin, notify):
    user = register(api, admin)
    with Api(notify.url, api.ip) as on_notify:
        response = on_notify.get(PREFERENCES, token=unsigned(claims_for(user.id, user.username)))
    assert_detail(response, 401, "Could not validate credentials")
