"""Users: the admin list, the directory, profiles, and who may do what.

- GET /api/users/ (admin): bare array, newest first, inactive included,
  skip >= 0, limit 1..500; with or without the trailing slash.
- GET /api/users/directory: active users only, search, sorts.
- GET /api/users/by-username/{name} and /api/users/{id}: UserWithQuota for
  oneself, UserProfile (no email) for others; 404 "User not found"; a
  malformed id -> 422.
- Non-admins get 403 "Not enough permissions. Admin access required."
"""

import pytest

from auth_client import (
    DIRECTORY_KEYS, USER_PROFILE_KEYS, USER_RESPONSE_KEYS, assert_datetime, assert_detail, assert_user_with_quota,
    assert_validation_error, deactivate, random_uuid, register, unique_name,
)

ADMIN_ONLY = "Not enough permissions. Admin access required."


def admin_list(api, admin, path: str = "/api/users/", **params) -> list:
    response = api.get(path, params=params, token=admin.access_token)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert isinstance(body, list), body
    return body


def directory(api, user, **params) -> list:
    response = api.get("/api/users/directory", params=params, token=user.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list), body
    return body


def group(api, admin, count: int) -> tuple:
    """`count` users whose names share a fresh prefix, registered in order."""
    prefix = unique_name("grp")
    return prefix, [register(api, admin, username=f"{prefix}_{i}") for i in range(count)]


@pytest.mark.parametrize("path", ["/api/users/", "/api/users"])
def test_admin_lists_users_newest_first_with_inactive(api, admin, path):
    older = register(api, admin)
    newer = register(api, admin)
    deactivate(api, admin, older)
    items = admin_list(api, admin, path, limit=500)
    by_id = {item["id"]: item for item in items}
    ids = [item["id"] for item in items]
    assert older.id in by_id and newer.id in by_id, "new users are not listed"
    assert ids.index(newer.id) < ids.index(older.id), "users are not newest first"
    assert by_id[older.id]["is_active"] is False and by_id[newer.id]["is_active"] is True
    entry = by_id[newer.id]
    assert USER_RESPONSE_KEYS <= entry.keys(), entry
    assert entry["email"] == newer.email and entry["username"] == newer.username
    assert_datetime(entry["created_at"], "created_at")


def test_admin_list_pages(api, admin):
    register(api, admin)
    register(api, admin)
    first = admin_list(api, admin, limit=1)
    second = admin_list(api, admin, skip=1, limit=1)
    assert len(first) == 1 and len(second) == 1 and first[0]["id"] != second[0]["id"]
    assert len(admin_list(api, admin)) <= 10, "the default page is 10 users"


@pytest.mark.parametrize("name,value", [("skip", "-1"), ("limit", "0"), ("limit", "501"), ("limit", "many")])
def test_user_paging_is_validated(api, admin, name, value):
    response = api.get("/api/users/", params={name: value}, token=admin.access_token)
    assert_validation_error(response, ["query", name])


def test_limit_500_is_accepted(api, admin):
    assert len(admin_list(api, admin, limit=500)) <= 500


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/users/"),
    ("DELETE", "/api/users/{id}"),
    ("POST", "/api/users/{id}/activate"),
    ("POST", "/api/users/{id}/generate-reset-link"),
    ("GET", "/api/invitations/"),
    ("DELETE", "/api/invitations/{id}"),
])
def test_non_admin_is_refused_admin_routes(api, admin, method, path):
    user = register(api, admin)
    victim = register(api, admin)
    response = api.request(method, path.format(id=victim.id), token=user.access_token)
    assert_detail(response, 403, ADMIN_ONLY)


def test_non_admin_cannot_invite(api, admin):
    user = register(api, admin)
    response = api.post("/api/invitations/", json={"email": f"{unique_name()}@example.com"}, token=user.access_token)
    assert_detail(response, 403, ADMIN_ONLY)


def test_directory_shows_active_users_matching_the_search(api, admin):
    prefix, (kept, gone) = group(api, admin, 2)
    deactivate(api, admin, gone)
    entries = directory(api, kept, search=prefix.upper())
    assert [entry["id"] for entry in entries] == [kept.id], entries
    assert set(entries[0].keys()) >= DIRECTORY_KEYS, entries[0]
    assert "email" not in entries[0], entries[0]
    assert entries[0]["username"] == kept.username


def test_directory_sorts_newest_first_by_default(api, admin):
    prefix, users = group(api, admin, 3)
    expected = [user.id for user in reversed(users)]
    assert [entry["id"] for entry in directory(api, users[0], search=prefix)] == expected
    assert [entry["id"] for entry in directory(api, users[0], search=prefix, sort="newest")] == expected


def test_directory_sorts_alphabetically(api, admin):
    prefix = unique_name("abc")
    users = [register(api, admin, username=f"{prefix}_{suffix}") for suffix in ("b", "c", "a")]
    entries = directory(api, users[0], search=prefix, sort="alphabetical")
    assert [entry["username"] for entry in entries] == sorted(user.username for user in users)


def test_own_profile_by_username_and_id_has_quota(api, admin):
    user = register(api, admin)
    for path in (f"/api/users/by-username/{user.username.upper()}", f"/api/users/{user.id}"):
        response = api.get(path, token=user.access_token)
        assert response.status_code == 200, f"{path}: {response.text}"
        body = response.json()
        assert_user_with_quota(body)
        assert body["id"] == user.id and body["email"] == user.email, body


def test_other_profile_hides_email(api, admin):
    viewer = register(api, admin)
    target = register(api, admin)
    for path in (f"/api/users/by-username/{target.username.upper()}", f"/api/users/{target.id}"):
        response = api.get(path, token=viewer.access_token)
        assert response.status_code == 200, f"{path}: {response.text}"
        body = response.json()
        assert set(body.keys()) == USER_PROFILE_KEYS, f"UserProfile has keys {sorted(body)}"
        assert body["id"] == target.id and body["username"] == target.username, body
        assert body["video_count"] == 0 and body["playlist_count"] == 0 and body["avatar_url"] is None, body


def test_profile_of_inactive_user_is_visible(api, admin):
    viewer = register(api, admin)
    target = register(api, admin)
    deactivate(api, admin, target)
    for path in (f"/api/users/by-username/{target.username}", f"/api/users/{target.id}"):
        response = api.get(path, token=viewer.access_token)
        assert response.status_code == 200, f"{path}: {response.text}"
        assert response.json()["id"] == target.id


def test_unknown_user_is_404(api, admin):
    user = register(api, admin)
    for path in (f"/api/users/by-username/{unique_name('nobody')}", f"/api/users/{random_uuid()}"):
        assert_detail(api.get(path, token=user.access_token), 404, "User not found")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/users/not-a-uuid"),
    ("DELETE", "/api/users/not-a-uuid"),
    ("POST", "/api/users/not-a-uuid/activate"),
    ("POST", "/api/users/not-a-uuid/generate-reset-link"),
])
def test_malformed_user_id_is_422(api, admin, method, path):
    response = api.request(method, path, token=admin.access_token)
    assert_validation_error(response, ["path", "user_id"])
