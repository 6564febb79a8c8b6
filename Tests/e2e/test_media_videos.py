"""The video routes of API §3.5 through the gateway: list, read, change, delete.

- GET /api/videos/ (and without the slash) is {videos, total}. A user sees the completed
  videos and their own in any status; an admin sees everything and may filter by
  `status` (ignored for users). Filters category_id, uploaded_by, search (case-insensitive
  title substring, `%` and `_` literal); sort created_at/title/view_count, order asc/desc;
  skip/limit paging, `total` counting every match; out-of-range paging and malformed
  ids are 422s.
- GET /api/videos/{sid}: own pending 200, someone else's pending 403, unknown 404.
- PATCH: trimmed title 1..200, null clears description and category, unknown category
  404, only the sent keys change, owner or admin only; announces media.video.updated.
- DELETE: owner or admin; the row, the outputs and the original go; announces
  media.video.deleted; afterwards 404 everywhere.
"""

import time
import uuid

import pytest

from auth_client import assert_detail, assert_validation_error, register
from media_client import VIDEO_KEYS, media_root, psql, wait_ready, workers_paused
from media_streaming_support import (
    create_category, ready_video, shared_clip, source_path, upload, wait_event,
)

NO_VIEW = "You don't have permission to view this video"
NO_ACCESS = "You don't have permission to access this video"


@pytest.fixture
def clip(tmp_path_factory):
    return shared_clip(tmp_path_factory)


def listing(gw, user, **params) -> dict:
    response = gw.get("/api/videos/", token=user.access_token, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"videos", "total"}, body
    return body


def ids(body: dict) -> list:
    return [v["id"] for v in body["videos"]]


# --- list ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/videos/", "/api/videos"])
def test_list_answers_with_and_without_the_slash(gw, api, admin, clip, path):
    user = register(api, admin)
    video = upload(gw, user, clip, title="Listed")
    response = gw.get(path, token=user.access_token, params={"uploaded_by": user.id})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"videos", "total"}
    assert body["total"] == 1 and ids(body) == [video["id"]]
    assert set(body["videos"][0]) == VIDEO_KEYS
    assert body["videos"][0]["uploader_username"] == user.username


def test_list_needs_a_token(gw):
    response = gw.get("/api/videos/")
    assert_detail(response, 401, "Not authenticated")


def test_users_see_completed_videos_and_their_own_admins_see_all(gw, api, admin, clip):
    alice, bob = register(api, admin), register(api, admin)
    alice_ready, _ = ready_video(gw, alice, clip, title="Alice ready")
    with workers_paused():  # the pending ones stay pending until the checks are done
        alice_pending = upload(gw, alice, clip, title="Alice pending")
        bob_pending = upload(gw, bob, clip, title="Bob pending")
        check_visibility(gw, admin, alice, bob, alice_pending, alice_ready, bob_pending)


def check_visibility(gw, admin, alice, bob, alice_pending, alice_ready, bob_pending):
    # Bob sees Alice's completed video only; Alice sees both of hers.
    seen_by_bob = listing(gw, bob, uploaded_by=alice.id)
    assert ids(seen_by_bob) == [alice_ready["id"]] and seen_by_bob["total"] == 1
    seen_by_alice = listing(gw, alice, uploaded_by=alice.id)
    assert set(ids(seen_by_alice)) == {alice_pending["id"], alice_ready["id"]} and seen_by_alice["total"] == 2
    # Without a filter: Bob's list holds his pending video and never Alice's.
    everything_bob_sees = ids(listing(gw, bob, limit=200))
    assert bob_pending["id"] in everything_bob_sees and alice_pending["id"] not in everything_bob_sees

    # The admin sees everything, and `status` filters for the admin.
    by_admin = listing(gw, admin, uploaded_by=alice.id)
    assert set(ids(by_admin)) == {alice_pending["id"], alice_ready["id"]} and by_admin["total"] == 2
    pending_only = listing(gw, admin, uploaded_by=alice.id, status="pending")
    assert ids(pending_only) == [alice_pending["id"]] and pending_only["total"] == 1
    completed_only = listing(gw, admin, uploaded_by=alice.id, status="completed")
    assert ids(completed_only) == [alice_ready["id"]] and completed_only["total"] == 1
    assert listing(gw, admin, uploaded_by=bob.id, status="pending")["total"] == 1

    # For users `status` is ignored.
    assert ids(listing(gw, bob, uploaded_by=alice.id, status="pending")) == [alice_ready["id"]]
    ignored = listing(gw, alice, uploaded_by=alice.id, status="completed")
    assert set(ids(ignored)) == {alice_pending["id"], alice_ready["id"]} and ignored["total"] == 2


def test_category_filter(gw, api, admin, clip):
    user = register(api, admin)
    category = create_category()
    in_category = upload(gw, user, clip, title="In category", category_id=category["id"])
    assert in_category["category_id"] == category["id"]
    assert in_category["category_name"] == category["name"] and in_category["category_slug"] == category["slug"]
    upload(gw, user, clip, title="Without category")

    body = listing(gw, user, category_id=category["id"])
    assert ids(body) == [in_category["id"]] and body["total"] == 1
    unknown = listing(gw, user, category_id=str(uuid.uuid4()))
    assert unknown == {"videos": [], "total": 0}
    assert listing(gw, user, uploaded_by=user.id)["total"] == 2


def test_uploaded_by_filter_and_unknown_uploader(gw, api, admin, clip):
    user, other = register(api, admin), register(api, admin)
    mine = upload(gw, user, clip, title="Mine")
    upload(gw, other, clip, title="Theirs")
    body = listing(gw, user, uploaded_by=user.id)
    assert ids(body) == [mine["id"]] and body["total"] == 1
    assert listing(gw, user, uploaded_by=str(uuid.uuid4())) == {"videos": [], "total": 0}


def test_search_is_a_case_insensitive_substring_with_literal_wildcards(gw, api, admin, clip):
    user = register(api, admin)
    tag = uuid.uuid4().hex[:8]
    titles = {
        "upper": f"Needle{tag} in a HAYSTACK",
        "percent": f"{tag} 50% off",
        "no_percent": f"{tag} 50x off",
        "underscore": f"{tag} snake_case",
        "no_underscore": f"{tag} snakeXcase",
    }
    videos = {key: upload(gw, user, clip, title=title) for key, title in titles.items()}

    def found(search):
        body = listing(gw, user, search=search, uploaded_by=user.id)
        assert body["total"] == len(body["videos"])
        return {v["id"] for v in body["videos"]}

    assert found(f"nEEDLE{tag}") == {videos["upper"]["id"]}
    assert found("haystack") == {videos["upper"]["id"]}
    assert found(tag) == {v["id"] for v in videos.values()}
    assert found("50%") == {videos["percent"]["id"]}
    assert found("%") == {videos["percent"]["id"]}
    assert found("snake_case") == {videos["underscore"]["id"]}
    assert found("_") == {videos["underscore"]["id"]}
    assert found(f"{tag}-nothing") == set()


@pytest.mark.parametrize("encoded", ["in%20a%20HAYSTACK", "in+a+HAYSTACK"])
def test_search_with_spaces_in_the_query_string(gw, api, admin, clip, encoded):
    """A space in a query string is `%20` or, as HTML forms and URLSearchParams send it, `+`."""
    user = register(api, admin)
    video = upload(gw, user, clip, title="Needle in a haystack")
    upload(gw, user, clip, title="Needle elsewhere")
    response = gw.get(f"/api/videos/?uploaded_by={user.id}&search={encoded}", token=user.access_token)
    assert response.status_code == 200, response.text
    assert ids(response.json()) == [video["id"]] and response.json()["total"] == 1


@pytest.fixture
def sorted_videos(gw, api, admin, clip):
    """Three videos of a fresh user, uploaded b, a, c with view counts 5, 9, 1."""
    user = register(api, admin)
    videos = []
    for title, views in (("vid b", 5), ("vid a", 9), ("vid c", 1)):
        video = upload(gw, user, clip, title=title)
        psql(f"UPDATE media.videos SET view_count = {views} WHERE id = '{video['id']}'")
        videos.append(video)
    return user, videos


@pytest.mark.parametrize("sort, order, expected", [
    (None, None, ["vid c", "vid a", "vid b"]),
    ("created_at", "desc", ["vid c", "vid a", "vid b"]),
    ("created_at", "asc", ["vid b", "vid a", "vid c"]),
    ("title", "asc", ["vid a", "vid b", "vid c"]),
    ("title", "desc", ["vid c", "vid b", "vid a"]),
    ("view_count", "desc", ["vid a", "vid b", "vid c"]),
    ("view_count", "asc", ["vid c", "vid b", "vid a"]),
    ("title", "sideways", ["vid c", "vid b", "vid a"]),
    ("no_such_column", "asc", ["vid b", "vid a", "vid c"]),
])
def test_sort_and_order(gw, sorted_videos, sort, order, expected):
    user, _ = sorted_videos
    params = {"uploaded_by": user.id}
    if sort:
        params["sort"] = sort
    if order:
        params["order"] = order
    body = listing(gw, user, **params)
    assert [v["title"] for v in body["videos"]] == expected
    assert body["total"] == 3


def test_view_counts_in_the_list(gw, sorted_videos):
    user, videos = sorted_videos
    body = listing(gw, user, uploaded_by=user.id, sort="view_count", order="desc")
    assert [v["view_count"] for v in body["videos"]] == [9, 5, 1]


def test_skip_and_limit_page_through_all_matches(gw, api, admin, clip):
    user = register(api, admin)
    made = [upload(gw, user, clip, title=f"page {i}")["id"] for i in range(5)]
    base = {"uploaded_by": user.id, "sort": "created_at", "order": "asc"}
    pages = [listing(gw, user, **base, skip=skip, limit=2) for skip in (0, 2, 4)]
    assert [ids(p) for p in pages] == [made[0:2], made[2:4], made[4:5]]
    assert all(p["total"] == 5 for p in pages)
    beyond = listing(gw, user, **base, skip=10, limit=2)
    assert beyond == {"videos": [], "total": 5}
    assert ids(listing(gw, user, **base, limit=200)) == made
    assert ids(listing(gw, user, **base)) == made  # default limit 20


@pytest.mark.parametrize("params, loc", [
    ({"limit": "0"}, ["query", "limit"]),
    ({"limit": "201"}, ["query", "limit"]),
    ({"limit": "-5"}, ["query", "limit"]),
    ({"limit": "ten"}, ["query", "limit"]),
    ({"skip": "-1"}, ["query", "skip"]),
    ({"skip": "x"}, ["query", "skip"]),
    ({"uploaded_by": "not-a-uuid"}, ["query", "uploaded_by"]),
    ({"uploaded_by": "12345"}, ["query", "uploaded_by"]),
])
def test_bad_paging_and_malformed_ids_are_422(gw, api, admin, params, loc):
    user = register(api, admin)
    assert_validation_error(gw.get("/api/videos/", token=user.access_token, params=params), loc)


# --- read one --------------------------------------------------------------------


def test_get_own_pending_video_but_not_someone_elses(gw, api, admin, clip):
    owner, other = register(api, admin), register(api, admin)
    with workers_paused():
        video = upload(gw, owner, clip, title="Secret draft")
        own = gw.get(f"/api/videos/{video['short_id']}", token=owner.access_token)
        assert own.status_code == 200, own.text
        assert set(own.json()) == VIDEO_KEYS
        assert own.json()["id"] == video["id"] and own.json()["processing_status"] == "pending"

        assert_detail(gw.get(f"/api/videos/{video['short_id']}", token=other.access_token), 403, NO_VIEW)
        by_admin = gw.get(f"/api/videos/{video['short_id']}", token=admin.access_token)
        assert by_admin.status_code == 200, by_admin.text

    wait_ready(video)  # a worker processes it once the workers run again
    now_visible = gw.get(f"/api/videos/{video['short_id']}", token=other.access_token)
    assert now_visible.status_code == 200, now_visible.text
    assert now_visible.json()["processing_status"] == "completed"


@pytest.mark.parametrize("short_id", ["zzzzzzzzzz", "0000000000", "short", "waytoolongshortid", "bad-id_!"])
def test_unknown_or_malformed_short_id_is_404(gw, api, admin, short_id):
    user = register(api, admin)
    assert_detail(gw.get(f"/api/videos/{short_id}", token=user.access_token), 404, f"Video not found: {short_id}")


def test_short_ids_are_case_sensitive(gw, api, admin, clip):
    user = register(api, admin)
    video = upload(gw, user, clip)
    swapped = video["short_id"].swapcase()
    if swapped == video["short_id"]:
        pytest.skip("an all-digit short id has no other case")
    assert_detail(gw.get(f"/api/videos/{swapped}", token=user.access_token), 404, f"Video not found: {swapped}")


# --- change ----------------------------------------------------------------------


def test_patch_trims_the_title_and_changes_only_the_keys_sent(gw, api, admin, clip, events):
    user = register(api, admin)
    category = create_category()
    video = upload(gw, user, clip, title="Original", description="Keep me", category_id=category["id"])
    listener = events("media.video.updated")

    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token, json={"title": "  New title  "})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == VIDEO_KEYS
    assert body["title"] == "New title"
    assert body["description"] == "Keep me"
    assert body["category_id"] == category["id"] and body["category_name"] == category["name"]
    event = wait_event(listener, "media.video.updated",
                       lambda data: (data.get("video") or {}).get("id", "").lower() == video["id"]
                       and data["video"].get("title") == "New title")
    assert event["producer"] == "media"

    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token, json={"description": "Other"})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "New title" and response.json()["description"] == "Other"

    stored = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token).json()
    assert stored["title"] == "New title" and stored["description"] == "Other"
    assert stored["category_id"] == category["id"]


def test_patch_null_clears_description_and_category(gw, api, admin, clip):
    user = register(api, admin)
    category = create_category()
    video = upload(gw, user, clip, title="Clear me", description="Some text", category_id=category["id"])
    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token,
                        json={"description": None, "category_id": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["description"] is None
    assert body["category_id"] is None and body["category_name"] is None and body["category_slug"] is None
    assert body["title"] == "Clear me"


def test_patch_sets_a_category(gw, api, admin, clip):
    user = register(api, admin)
    category = create_category()
    video = upload(gw, user, clip, title="Categorise me")
    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token, json={"category_id": category["id"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["category_id"] == category["id"]
    assert body["category_name"] == category["name"] and body["category_slug"] == category["slug"]


def test_patch_unknown_category_is_404_and_changes_nothing(gw, api, admin, clip):
    user = register(api, admin)
    video = upload(gw, user, clip, title="Unchanged")
    unknown = str(uuid.uuid4())
    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token,
                        json={"title": "Changed", "category_id": unknown})
    assert_detail(response, 404, f"Category not found: {unknown}")
    stored = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token).json()
    assert stored["title"] == "Unchanged" and stored["category_id"] is None


@pytest.mark.parametrize("body, loc", [
    ({"title": ""}, ["body", "title"]),
    ({"title": "   "}, ["body", "title"]),
    ({"title": "x" * 201}, ["body", "title"]),
    ({"title": None}, ["body", "title"]),
    ({"title": 5}, ["body", "title"]),
    ({"description": "d" * 2001}, ["body", "description"]),
])
def test_patch_validation(gw, api, admin, clip, body, loc):
    user = register(api, admin)
    video = upload(gw, user, clip, title="Valid")
    assert_validation_error(gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token, json=body), loc)
    assert gw.get(f"/api/videos/{video['short_id']}", token=user.access_token).json()["title"] == "Valid"


def test_patch_title_of_200_characters_is_fine(gw, api, admin, clip):
    user = register(api, admin)
    video = upload(gw, user, clip)
    title = "t" * 200
    response = gw.patch(f"/api/videos/{video['short_id']}", token=user.access_token, json={"title": f" {title} "})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == title


def test_patch_by_another_user_is_403_admin_may(gw, api, admin, clip):
    owner, other = register(api, admin), register(api, admin)
    video, _ = ready_video(gw, owner, clip, title="Owned")
    response = gw.patch(f"/api/videos/{video['short_id']}", token=other.access_token, json={"title": "Hijacked"})
    assert_detail(response, 403, NO_ACCESS)
    by_admin = gw.patch(f"/api/videos/{video['short_id']}", token=admin.access_token, json={"title": "Moderated"})
    assert by_admin.status_code == 200, by_admin.text
    assert by_admin.json()["title"] == "Moderated" and by_admin.json()["uploaded_by"] == owner.id


def test_patch_unknown_video_is_404(gw, api, admin):
    user = register(api, admin)
    response = gw.patch("/api/videos/zzzzzzzzzz", token=user.access_token, json={"title": "x"})
    assert_detail(response, 404, "Video not found: zzzzzzzzzz")


# --- delete ------------------------------------------------------------------------


def test_owner_deletes_a_video_and_its_files(gw, api, admin, clip, events):
    user = register(api, admin)
    video, folder = ready_video(gw, user, clip, title="Doomed")
    original = media_root() / "originals" / video["filename"]
    assert folder.is_dir() and not original.exists(), "the worker kept the original of a completed video"
    listener = events("media.video.deleted")

    response = gw.delete(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert response.status_code == 204, response.text
    assert response.content == b""

    assert not (media_root() / "videos" / video["id"]).exists(), "the video's folder is still there"
    assert not original.exists(), f"the original {original} is still there"
    event = wait_event(listener, "media.video.deleted", lambda data: str(data.get("video_id", "")).lower() == video["id"])
    assert str(event["data"]["uploaded_by"]).lower() == user.id

    assert_detail(gw.get(f"/api/videos/{video['short_id']}", token=user.access_token), 404,
                  f"Video not found: {video['short_id']}")
    assert_detail(gw.delete(f"/api/videos/{video['short_id']}", token=user.access_token), 404,
                  f"Video not found: {video['short_id']}")
    assert_detail(gw.get(f"/api/videos/{video['short_id']}/stream", token=user.access_token), 404,
                  f"Video not found: {video['short_id']}")
    assert listing(gw, user, uploaded_by=user.id) == {"videos": [], "total": 0}
    assert psql(f"SELECT count(*) FROM media.videos WHERE id = '{video['id']}'") == "0"


def test_owner_deletes_a_pending_video_and_its_original(gw, api, admin, clip):
    user = register(api, admin)
    with workers_paused():  # never processed: deleted while its job waits
        video = upload(gw, user, clip, title="Never processed")
        original = source_path(video)
        assert original.is_file()
        response = gw.delete(f"/api/videos/{video['short_id']}", token=user.access_token)
        assert response.status_code == 204, response.text
        assert not original.exists()
        assert psql(f"SELECT count(*) FROM media.jobs WHERE video_id = '{video['id']}'") == "0"
    # The job's message reaches a worker now: it finds no job and makes nothing.
    time.sleep(2)
    assert not (media_root() / "videos" / video["id"]).exists()
    assert_detail(gw.get(f"/api/videos/{video['short_id']}", token=user.access_token), 404,
                  f"Video not found: {video['short_id']}")


def test_delete_by_another_user_is_403_admin_may(gw, api, admin, clip, events):
    owner, other = register(api, admin), register(api, admin)
    video, folder = ready_video(gw, owner, clip, title="Someone's")
    assert_detail(gw.delete(f"/api/videos/{video['short_id']}", token=other.access_token), 403, NO_ACCESS)
    assert folder.is_dir()
    assert gw.get(f"/api/videos/{video['short_id']}", token=owner.access_token).status_code == 200

    listener = events("media.video.deleted")
    response = gw.delete(f"/api/videos/{video['short_id']}", token=admin.access_token)
    assert response.status_code == 204, response.text
    wait_event(listener, "media.video.deleted", lambda data: str(data.get("video_id", "")).lower() == video["id"])
    assert not folder.exists()
    assert_detail(gw.get(f"/api/videos/{video['short_id']}", token=owner.access_token), 404,
                  f"Video not found: {video['short_id']}")
