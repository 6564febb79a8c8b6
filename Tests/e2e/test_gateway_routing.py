"""Routing: the services' routes answer through the gateway as they do direct.

- auth: login -> tokens; /api/auth/me as direct; /api/users/ and /api/users as
  admin; /api/invitations/validate/{x} anonymous; /.well-known/jwks.json as
  direct; an avatar uploaded through the gateway is served at its avatar_url
  through the gateway as image/webp.
- notify: GET/PATCH /api/notifications/preferences.
- The service stays hidden: `Server: clipset-gateway`, never `clipset-<service>`,
  and every response has an X-Request-ID.
"""

from auth_client import login_tokens, me, register
from auth_images import make_image, webp_dimensions
from gateway_support import assert_from_gateway

KINDS = {"welcome", "video_processed", "video_failed", "new_comment", "new_reply"}


def test_login_through_the_gateway_gives_working_tokens(gw, api, admin):
    user = register(api, admin)
    response = gw.post("/api/auth/login", json={"username": user.username, "password": user.password})
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    tokens = response.json()
    assert tokens.get("access_token") and tokens.get("refresh_token"), tokens
    assert tokens.get("token_type") == "bearer", tokens
    through = gw.get("/api/auth/me", token=tokens["access_token"])
    assert through.status_code == 200, through.text
    assert_from_gateway(through)
    assert through.json() == me(api, user), "/api/auth/me differs through the gateway"


def test_user_lists_answer_as_direct_with_both_slash_forms(gw, api, admin):
    direct = api.get("/api/users/", token=admin.access_token)
    assert direct.status_code == 200, direct.text
    for path in ("/api/users/", "/api/users"):
        response = gw.get(path, token=admin.access_token)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
        assert_from_gateway(response)
        assert isinstance(response.json(), list), response.text[:300]
        assert {u["id"] for u in response.json()} == {u["id"] for u in direct.json()}, path


def test_invitation_validation_is_anonymous(gw, api, admin):
    response = gw.get("/api/invitations/validate/no-such-token")
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    assert response.json() == api.get("/api/invitations/validate/no-such-token").json()
    assert response.json().get("valid") is False, response.text


def test_jwks_is_served_as_direct(gw, api):
    response = gw.get("/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    keys = response.json().get("keys")
    assert isinstance(keys, list) and keys, response.text
    assert response.json() == api.get("/.well-known/jwks.json").json()


def test_avatar_uploaded_and_served_through_the_gateway(gw, api, admin, tmp_path):
    user = register(api, admin)
    png = make_image(tmp_path, "avatar.png")
    response = gw.post("/api/users/me/avatar", files={"file": ("avatar.png", png, "image/png")},
                       token=user.access_token)
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    url = response.json()["avatar_url"]
    assert url and url.startswith("/media/avatars/"), response.text
    image = gw.get(url)
    assert image.status_code == 200, image.text[:300]
    assert_from_gateway(image)
    assert image.headers.get("Content-Type", "").startswith("image/webp"), image.headers
    assert webp_dimensions(image.content) == (256, 256)


def test_notification_preferences_through_the_gateway(gw, api, admin):
    user = register(api, admin)
    response = gw.get("/api/notifications/preferences", token=user.access_token)
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    assert response.json() == {kind: True for kind in KINDS}, response.text
    response = gw.patch("/api/notifications/preferences", json={"new_comment": False}, token=user.access_token)
    assert response.status_code == 200, response.text
    assert_from_gateway(response)
    assert response.json()["new_comment"] is False, response.text
    again = gw.get("/api/notifications/preferences", token=user.access_token).json()
    assert again == {**{kind: True for kind in KINDS}, "new_comment": False}, again


def test_services_are_not_named_in_responses(gw, api, admin):
    user = register(api, admin)
    tokens = login_tokens(gw, user.username, user.password)
    responses = [
        gw.get("/api/auth/me", token=tokens["access_token"]),
        gw.get("/api/auth/me"),  # refused at the edge
        gw.get("/api/notifications/preferences", token=tokens["access_token"]),
        gw.get("/api/videos/", token=tokens["access_token"]),
        gw.get("/api/playlists/", token=tokens["access_token"]),
        gw.get("/.well-known/jwks.json"),
        gw.get("/api/health"),
        gw.get("/"),
    ]
    for response in responses:
        assert_from_gateway(response)
        headers = str(response.headers).lower()
        named = [svc for svc in ("auth", "media", "social", "notify") if f"clipset-{svc}" in headers]
        assert not named, f"{response.url} names {named}: {response.headers}"


def test_proxied_requests_are_counted_by_resource_not_by_path(gw, admin):
    """The gateway's http_requests_total names what it proxied (`/api/users/*`), never the raw
    path; the web UI's files and pages count under its fallback route, `/**`."""
    path = f"/api/users/{admin.id}"
    assert gw.get(path, token=admin.access_token).status_code == 200
    assert gw.get("/v/AbCdEfGhIj").status_code == 200
    assert gw.get("/app/api.js").status_code == 200
    text = gw.get("/metrics").text
    counted = [line for line in text.splitlines() if line.startswith("http_requests_total{")]
    assert any('route="/api/users/*"' in line and 'status="200"' in line for line in counted), counted
    assert any('route="/**"' in line for line in counted), counted
    assert not any(admin.id in line or "AbCdEfGhIj" in line for line in counted), "a raw path is a label"
