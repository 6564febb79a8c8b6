"""Invitations (admin): create, list, validate, revoke.

- POST /api/invitations/ {email} -> 201 InvitationWithLink: 43-char url-safe
  token, link PUBLIC_URL/register/<token>, expiry in 7 days, email lower-cased;
  event auth.invitation.created.
- GET /api/invitations/ -> newest first, paging validated (limit 1..100);
  with or without the trailing slash.
- GET /api/invitations/validate/{token} -> 200 {valid, email, message}.
- DELETE /api/invitations/{id} -> "Invitation revoked successfully" / 404.
"""

import secrets

import pytest

from auth_client import (
    INVITATION_KEYS, PUBLIC_URL, URLSAFE_TOKEN, UUID, assert_datetime, assert_detail, assert_validation_error, invite,
    random_uuid, register_body, unique_name,
)

WEEK = 7 * 24 * 3600


def new_email(domain: str = "example.com") -> str:
    return f"{unique_name('inv')}@{domain}"


def validate(api, token: str) -> dict:
    response = api.get(f"/api/invitations/validate/{token}")
    assert response.status_code == 200, response.text
    return response.json()


def list_invitations(api, admin, path: str = "/api/invitations/", **params) -> list:
    response = api.get(path, params=params, token=admin.access_token)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert isinstance(body, list), body
    return body


def test_create_invitation_returns_token_and_link(api, admin):
    email = new_email()
    response = api.post("/api/invitations/", json={"email": email.upper()}, token=admin.access_token)
    assert response.status_code == 201, response.text
    body = response.json()
    missing = (INVITATION_KEYS | {"invitation_link"}) - body.keys()
    assert not missing, f"InvitationWithLink lacks {sorted(missing)}: {body}"
    assert UUID.match(body["id"]), body
    assert body["email"] == email.lower()
    assert URLSAFE_TOKEN.match(body["token"]), body
    assert body["invitation_link"] == f"{PUBLIC_URL}/register/{body['token']}"
    assert body["created_by"] == admin.id
    assert body["used"] is False and body["used_at"] is None, body
    lifetime = (assert_datetime(body["expires_at"]) - assert_datetime(body["created_at"])).total_seconds()
    assert abs(lifetime - WEEK) < 60, f"invitation lives {lifetime} s, not 7 days"


def test_create_invitation_emits_an_event(api, admin, events):
    listener = events("auth.invitation.created")
    invitation = invite(api, admin, new_email())
    event = listener.wait_for("auth.invitation.created", invitation_id=invitation["id"])
    assert event["producer"] == "auth" and event["version"] == 1, event
    data = event["data"]
    assert data["email"] == invitation["email"]
    assert data["invitation_link"] == invitation["invitation_link"]
    assert data["invited_by"].lower() == admin.id
    assert data.get("expires_at"), data


def test_create_invitation_without_trailing_slash(api, admin):
    email = new_email()
    response = api.post("/api/invitations", json={"email": email}, token=admin.access_token)
    assert response.status_code == 201, response.text
    assert response.json()["email"] == email


def test_invitation_accepts_a_local_domain(api, admin):
    email = new_email("clipset.local")
    assert invite(api, admin, email)["email"] == email


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.com", "", "a@"])
def test_invitation_with_invalid_email_is_422(api, admin, email):
    response = api.post("/api/invitations/", json={"email": email}, token=admin.access_token)
    assert_validation_error(response, ["body", "email"])


@pytest.mark.parametrize("path", ["/api/invitations/", "/api/invitations"])
def test_list_invitations_newest_first(api, admin, path):
    older = invite(api, admin, new_email())
    newer = invite(api, admin, new_email())
    items = list_invitations(api, admin, path, limit=100)
    ids = [item["id"] for item in items]
    assert older["id"] in ids and newer["id"] in ids, "new invitations are not listed"
    assert ids.index(newer["id"]) < ids.index(older["id"]), "invitations are not newest first"
    listed = items[ids.index(newer["id"])]
    assert INVITATION_KEYS <= listed.keys(), listed
    assert listed["token"] == newer["token"] and listed["used"] is False, listed


def test_list_invitations_pages(api, admin):
    invite(api, admin, new_email())
    invite(api, admin, new_email())
    first = list_invitations(api, admin, limit=1)
    second = list_invitations(api, admin, skip=1, limit=1)
    assert len(first) == 1 and len(second) == 1
    assert first[0]["id"] != second[0]["id"]
    assert len(list_invitations(api, admin, limit=100)) <= 100


@pytest.mark.parametrize("name,value", [("skip", "-1"), ("limit", "0"), ("limit", "101"), ("limit", "ten")])
def test_invitation_paging_is_validated(api, admin, name, value):
    response = api.get("/api/invitations/", params={name: value}, token=admin.access_token)
    assert_validation_error(response, ["query", name])


def test_validate_unknown_token(api):
    assert validate(api, secrets.token_urlsafe(32)) == {
        "valid": False, "email": None, "message": "Invitation not found"}


def test_validate_fresh_invitation(api, admin):
    invitation = invite(api, admin, new_email())
    assert validate(api, invitation["token"]) == {
        "valid": True, "email": invitation["email"], "message": "Invitation is valid"}


def test_validate_used_invitation(api, admin):
    invitation = invite(api, admin, new_email())
    response = api.post("/api/auth/register", json=register_body(invitation, unique_name()))
    assert response.status_code == 201, response.text
    assert validate(api, invitation["token"]) == {
        "valid": False, "email": invitation["email"], "message": "Invitation has already been used"}


def test_revoke_invitation(api, admin):
    invitation = invite(api, admin, new_email())
    response = api.delete(f"/api/invitations/{invitation['id']}", token=admin.access_token)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Invitation revoked successfully"}
    assert validate(api, invitation["token"])["message"] == "Invitation not found"
    ids = [item["id"] for item in list_invitations(api, admin, limit=100)]
    assert invitation["id"] not in ids
    response = api.post("/api/auth/register", json=register_body(invitation, unique_name()))
    assert_detail(response, 400, "Invalid or expired invitation token")


def test_revoke_twice_is_404(api, admin):
    invitation = invite(api, admin, new_email())
    assert api.delete(f"/api/invitations/{invitation['id']}", token=admin.access_token).status_code == 200
    response = api.delete(f"/api/invitations/{invitation['id']}", token=admin.access_token)
    assert_detail(response, 404, "Invitation not found")


def test_revoke_unknown_invitation_is_404(api, admin):
    response = api.delete(f"/api/invitations/{random_uuid()}", token=admin.access_token)
    assert_detail(response, 404, "Invitation not found")


def test_revoke_with_malformed_id_is_422(api, admin):
    response = api.delete("/api/invitations/not-a-uuid", token=admin.access_token)
    assert_validation_error(response, ["path", "invitation_id"])
