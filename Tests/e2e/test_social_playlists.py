"""Playlists (social, /api/playlists) through the gateway, against the social contract.

- Every user reads every playlist; only the owner changes one (the admin may delete, not edit).
- POST / -> 201 Playlist; GET / (the caller's) and GET /by-user/{name} (case-insensitive) newest first.
- GET /{short_id} -> PlaylistWithVideos; entries embed the API's Video with uploader_username.
- Adding (one, with an optional position that inserts; or a batch), removing and reordering keep
  positions exactly 0..n-1; errors store nothing.
- first_video_thumbnail is the thumbnail of the lowest-position video that has one.
- GET /videos/{video_id}/playlists: the caller's playlists with `contains_video`.
- social.playlist.created/deleted; auth's playlist_count follows.
- A deleted video leaves every playlist (positions compacted).

The owner's five ready videos are made once for the module (an upload + transcode is seconds).
"""

import secrets
import uuid

import pytest

from auth_client import UUID, assert_datetime, assert_detail, assert_json, assert_validation_error
from media_client import VIDEO_KEYS, psql
from media_streaming_support import wait_event
from social_support import (
    PLAYLIST_ENTRY_KEYS, PLAYLIST_KEYS, add_video, assert_playlist, assert_positions, create_playlist,
    delete_video, gateway_session, get_playlist, new_user, pending_video, read_video, ready_videos, wait_until,
)

BASE = "/api/playlists"
NO_MODIFY = "You don't have permission to modify this playlist"
NO_ACCESS = "You don't have permission to access this playlist"
# Entries embed the API's Video from social's read model, without media's live processing_progress
# (social's openapi.json says so).
EMBEDDED_VIDEO_KEYS = VIDEO_KEYS - {"processing_progress"}


@pytest.fixture(scope="module")
def videos(owner) -> list:
    """Five completed videos of the module's `owner`, known to social."""
    with gateway_session() as session:
        return ready_videos(session, owner, 5, title="Playlist clip")


@pytest.fixture(scope="module")
def other():
    """A second plain user of the module."""
    return new_user()


def ids(*videos) -> list:
    return [video["id"] for video in videos]


def order(gw, user, playlist: dict) -> list:
    """The playlist's video ids by position, after checking positions are 0..n-1 and video_count."""
    body = get_playlist(gw, user, playlist)
    video_ids = assert_positions(body)
    assert body["video_count"] == len(video_ids), f"video_count {body['video_count']} for {len(video_ids)} entries"
    return video_ids


def playlist_with(gw, user, *videos) -> dict:
    """A new playlist of `user` holding `videos` in that order."""
    playlist = create_playlist(gw, user)
    for video in videos:
        add_video(gw, user, playlist, video)
    assert order(gw, user, playlist) == ids(*videos)
    return playlist


def add(gw, user, playlist: dict, video_id: str, **fields):
    return gw.post(f"{BASE}/{playlist['short_id']}/videos", json={"video_id": video_id, **fields},
                   token=user.access_token)


def batch(gw, user, playlist: dict, video_ids):
    return gw.post(f"{BASE}/{playlist['short_id']}/videos/batch", json={"video_ids": video_ids},
                   token=user.access_token)


def reorder(gw, user, playlist: dict, items: list):
    return gw.patch(f"{BASE}/{playlist['short_id']}/reorder", json={"video_positions": items},
                    token=user.access_token)


def moves(*pairs) -> list:
    """[{video_id, position}] from (video, position) pairs."""
    return [{"video_id": video["id"], "position": position} for video, position in pairs]


def assert_422(response) -> list:
    """A 422 in the validation shape (a list of {type, loc, msg})."""
    assert response.status_code == 422, f"expected 422, got {response.status_code}: {response.text[:500]}"
    errors = assert_json(response).get("detail")
    assert isinstance(errors, list) and errors, f"422 detail is not a list: {response.text[:500]}"
    assert all({"type", "loc", "msg"} <= set(error) for error in errors), errors
    return errors


def assert_entry(entry: dict, playlist: dict, video: dict, user) -> None:
    """A PlaylistEntry of `video` in `playlist` added by `user`, embedding the video (its full
    Video shape is checked by test_get_shows_entries_with_embedded_videos)."""
    assert set(entry) == PLAYLIST_ENTRY_KEYS, f"PlaylistEntry keys {sorted(entry)}"
    assert UUID.match(entry["id"]), entry
    assert (entry["playlist_id"], entry["video_id"], entry["added_by"]) == (playlist["id"], video["id"], user.id)
    assert_datetime(entry["added_at"], "added_at")
    embedded = entry["video"]
    assert {"id", "short_id", "title", "uploaded_by", "uploader_username"} <= set(embedded), sorted(embedded)
    assert (embedded["id"], embedded["short_id"]) == (video["id"], video["short_id"])


# --- create ----------------------------------------------------------------------------------


def by_user(gw, viewer, name: str):
    return gw.get(f"{BASE}/by-user/{name}", token=viewer.access_token)


def known_to_social(gw, user) -> None:
    """Waits until social has heard of `user` (auth.user.registered): /by-user/{name} answers."""
    wait_until(lambda: by_user(gw, user, user.username).status_code == 200, 15,
               f"social never learnt of user {user.username}")


@pytest.mark.parametrize("path", [BASE, f"{BASE}/"])
def test_create_answers_an_empty_playlist(gw, owner, path):
    """201 Playlist: trimmed name and description, the caller as creator, no videos, no thumbnail,
    a 10-character [0-9A-Za-z] short_id; with and without the trailing slash."""
    known_to_social(gw, owner)
    name = f"Mix {secrets.token_hex(3)}"
    response = gw.post(path, json={"name": f"  {name}  ", "description": "  Songs  "}, token=owner.access_token)
    assert response.status_code == 201, response.text[:300]
    body = assert_playlist(response.json())
    assert UUID.match(body["id"]), body
    assert (body["name"], body["description"]) == (name, "Songs")
    assert (body["created_by"], body["creator_username"]) == (owner.id, owner.username)
    assert body["video_count"] == 0 and body["first_video_thumbnail"] is None
    fetched = get_playlist(gw, owner, body)
    assert fetched["videos"] == [] and {k: fetched[k] for k in PLAYLIST_KEYS} == body


def test_creator_username_before_social_heard_of_the_creator(gw):
    """A playlist made before social has heard of its creator (auth.user.registered still on its
    way: here the read model's row is removed) still names its creator, from the token."""
    user = new_user()
    known_to_social(gw, user)
    psql(f"DELETE FROM social.users WHERE user_id = '{user.id}'")
    created = create_playlist(gw, user)
    assert created["creator_username"] == user.username, created
    assert get_playlist(gw, user, created)["creator_username"] == user.username


@pytest.mark.parametrize("description", [None, "", "   "])
def test_empty_description_becomes_null(gw, owner, description):
    """An absent, empty or blank description is stored as null."""
    fields = {} if description is None else {"description": description}
    assert create_playlist(gw, owner, **fields)["description"] is None


def test_limits_are_inclusive(gw, owner):
    """A 200-character name and a 1000-character description are fine."""
    body = create_playlist(gw, owner, "n" * 200, description="d" * 1000)
    assert len(body["name"]) == 200 and len(body["description"]) == 1000


@pytest.mark.parametrize("body, loc", [
    ({"name": ""}, ["body", "name"]),
    ({"name": "   "}, ["body", "name"]),
    ({"name": "n" * 201}, ["body", "name"]),
    ({"name": None}, ["body", "name"]),
    ({}, ["body", "name"]),
    ({"name": "ok", "description": "d" * 1001}, ["body", "description"]),
])
def test_create_validation(gw, owner, body, loc):
    """Bad fields are 422s at the field."""
    assert_validation_error(gw.post(f"{BASE}/", json=body, token=owner.access_token), loc)


def test_create_body_that_is_not_json_is_422(gw, owner):
    """A body that is not JSON is a validation error."""
    response = gw.post(f"{BASE}/", data="{name", token=owner.access_token, headers={"Content-Type": "application/json"})
    assert_422(response)


def test_create_needs_a_token(gw):
    """No token: 401."""
    assert gw.post(f"{BASE}/", json={"name": "anon"}).status_code == 401


# --- read ------------------------------------------------------------------------------------


def test_get_shows_entries_with_embedded_videos(gw, owner, other, videos):
    """Another user reads the playlist: entries by position, each with the Video as media shows it
    (uploader_username, no category), video_count = number of entries."""
    playlist = playlist_with(gw, owner, videos[1], videos[0])
    body = get_playlist(gw, other, playlist)
    assert_playlist(body, with_videos=True)
    assert body["video_count"] == 2
    for entry, video in zip(body["videos"], (videos[1], videos[0])):
        assert_entry(entry, playlist, video, owner)
        embedded, current = entry["video"], read_video(gw, owner, video)
        assert set(embedded) == EMBEDDED_VIDEO_KEYS, f"keys differ: {sorted(set(embedded) ^ EMBEDDED_VIDEO_KEYS)}"
        assert embedded["uploader_username"] == owner.username
        assert embedded["category_id"] is None and embedded["category_name"] is None
        stable = EMBEDDED_VIDEO_KEYS - {"view_count", "created_at"}
        assert {k: embedded[k] for k in stable} == {k: current[k] for k in stable}
        drift = assert_datetime(embedded["created_at"]) - assert_datetime(current["created_at"])
        assert abs(drift.total_seconds()) < 0.01, (embedded["created_at"], current["created_at"])


def test_unknown_playlist_is_404(gw, owner, videos):
    """An unknown short_id: 404 naming it, on every route of a playlist."""
    for short_id in ("zzzzzzzzzz", "nope"):
        assert_detail(gw.get(f"{BASE}/{short_id}", token=owner.access_token), 404, f"Playlist not found: {short_id}")
    ghost, video_id = {"short_id": "zzzzzzzzzz"}, videos[0]["id"]
    missing = "Playlist not found: zzzzzzzzzz"
    assert_detail(gw.patch(f"{BASE}/zzzzzzzzzz", json={"name": "x"}, token=owner.access_token), 404, missing)
    assert_detail(gw.delete(f"{BASE}/zzzzzzzzzz", token=owner.access_token), 404, missing)
    assert_detail(add(gw, owner, ghost, video_id), 404, missing)
    assert_detail(batch(gw, owner, ghost, [video_id]), 404, missing)
    assert_detail(reorder(gw, owner, ghost, [{"video_id": video_id, "position": 0}]), 404, missing)
    assert_detail(gw.delete(f"{BASE}/zzzzzzzzzz/videos/{video_id}", token=owner.access_token), 404, missing)


@pytest.mark.parametrize("path", [BASE, f"{BASE}/"])
def test_my_playlists_newest_first(gw, path):
    """GET / lists only the caller's playlists, newest first, with total."""
    user, stranger = new_user(), new_user()
    create_playlist(gw, stranger)
    made = [create_playlist(gw, user, f"mine {i}") for i in range(3)]
    response = gw.get(path, token=user.access_token)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert set(body) == {"playlists", "total"}
    assert [p["id"] for p in body["playlists"]] == [p["id"] for p in reversed(made)]
    assert body["total"] == 3
    for playlist in body["playlists"]:
        assert_playlist(playlist)


def test_by_user_is_case_insensitive_and_newest_first(gw, other):
    """GET /by-user/{NAME}: that user's playlists newest first with total, for any viewer."""
    user = new_user()
    made = [create_playlist(gw, user, f"theirs {i}") for i in range(3)]
    create_playlist(gw, other)
    response = wait_until(lambda: (r := by_user(gw, other, user.username.upper())).status_code == 200 and r, 15,
                          f"social never learnt of user {user.username}")
    body = response.json()
    assert set(body) == {"playlists", "total"} and body["total"] == 3
    assert [p["id"] for p in body["playlists"]] == [p["id"] for p in reversed(made)]
    assert all(assert_playlist(p)["creator_username"] == user.username for p in body["playlists"])


def test_by_user_without_playlists_and_unknown_user(gw, owner):
    """A known user without playlists: empty list; an unknown name: 404 "User not found: <name>"."""
    user = new_user()
    empty = wait_until(lambda: (r := by_user(gw, owner, user.username)).status_code == 200 and r, 15,
                       f"social never learnt of user {user.username}")
    assert empty.json() == {"playlists": [], "total": 0}
    name = f"Nobody_{secrets.token_hex(4)}"
    assert_detail(by_user(gw, owner, name), 404, f"User not found: {name}")


# --- update and delete ----------------------------------------------------------------------------


def test_owner_patches_name_and_description(gw, owner):
    """PATCH by the owner: trimmed name, description; null leaves a field; updated_at moves on."""
    playlist = create_playlist(gw, owner, "before", description="kept")
    response = gw.patch(f"{BASE}/{playlist['short_id']}", json={"name": "  after  ", "description": None},
                        token=owner.access_token)
    assert response.status_code == 200, response.text[:300]
    body = assert_playlist(response.json())
    assert (body["name"], body["description"], body["id"]) == ("after", "kept", playlist["id"])
    assert assert_datetime(body["updated_at"]) >= assert_datetime(playlist["updated_at"])
    response = gw.patch(f"{BASE}/{playlist['short_id']}", json={"description": "changed"}, token=owner.access_token)
    assert response.status_code == 200, response.text[:300]
    assert (response.json()["name"], response.json()["description"]) == ("after", "changed")
    stored = get_playlist(gw, owner, playlist)
    assert (stored["name"], stored["description"]) == ("after", "changed")


def test_patch_by_others_and_admin_is_403(gw, owner, other, admin):
    """Neither another user nor the admin may modify a playlist; nothing changes."""
    playlist = create_playlist(gw, owner, "guarded")
    for intruder in (other, admin):
        response = gw.patch(f"{BASE}/{playlist['short_id']}", json={"name": "taken"}, token=intruder.access_token)
        assert_detail(response, 403, NO_MODIFY)
    assert get_playlist(gw, owner, playlist)["name"] == "guarded"


@pytest.mark.parametrize("body, loc", [
    ({"name": ""}, ["body", "name"]),
    ({"name": "n" * 201}, ["body", "name"]),
    ({"description": "d" * 1001}, ["body", "description"]),
])
def test_patch_validation(gw, owner, body, loc):
    """Bad fields in a PATCH are 422s; the playlist keeps its name."""
    playlist = create_playlist(gw, owner, "valid")
    assert_validation_error(gw.patch(f"{BASE}/{playlist['short_id']}", json=body, token=owner.access_token), loc)
    assert get_playlist(gw, owner, playlist)["name"] == "valid"


def test_delete_by_owner_and_by_admin(gw, owner, other, admin, videos):
    """Another user gets 403; the owner deletes (204, then 404); the admin deletes someone's too."""
    playlist = playlist_with(gw, owner, videos[0])
    assert_detail(gw.delete(f"{BASE}/{playlist['short_id']}", token=other.access_token), 403, NO_ACCESS)
    response = gw.delete(f"{BASE}/{playlist['short_id']}", token=owner.access_token)
    assert response.status_code == 204 and response.content == b"", response.text[:300]
    missing = f"Playlist not found: {playlist['short_id']}"
    assert_detail(gw.get(f"{BASE}/{playlist['short_id']}", token=owner.access_token), 404, missing)
    assert_detail(gw.delete(f"{BASE}/{playlist['short_id']}", token=owner.access_token), 404, missing)

    theirs = create_playlist(gw, other)
    response = gw.delete(f"{BASE}/{theirs['short_id']}", token=admin.access_token)
    assert response.status_code == 204, response.text[:300]
    assert_detail(gw.get(f"{BASE}/{theirs['short_id']}", token=other.access_token), 404,
                  f"Playlist not found: {theirs['short_id']}")


# --- adding videos -------------------------------------------------------------------------------------


def test_add_appends_and_answers_the_entry(gw, owner, videos):
    """Without a position a video goes at the end; the answer is the new PlaylistEntry."""
    playlist = create_playlist(gw, owner)
    for index, video in enumerate(videos[:3]):
        response = add(gw, owner, playlist, video["id"])
        assert response.status_code == 200, response.text[:300]
        entry = response.json()
        assert_entry(entry, playlist, video, owner)
        assert entry["position"] == index
        assert entry["video"]["uploader_username"] == owner.username
        assert order(gw, owner, playlist) == ids(*videos[: index + 1])


def test_add_at_a_position_inserts_and_shifts(gw, owner, videos):
    """An explicit position inserts there (0, the middle, or count = the end), shifting later entries."""
    v = videos
    playlist = playlist_with(gw, owner, v[0], v[1])
    assert add_video(gw, owner, playlist, v[2], position=0)["position"] == 0
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[1])
    assert add_video(gw, owner, playlist, v[3], position=2)["position"] == 2
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[3], v[1])
    assert add_video(gw, owner, playlist, v[4], position=4)["position"] == 4
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[3], v[1], v[4])


@pytest.mark.parametrize("position", [3, 10, -1])
def test_add_position_out_of_range_is_422(gw, owner, videos, position):
    """A position outside 0..count is a 422 and adds nothing."""
    playlist = playlist_with(gw, owner, videos[0], videos[1])
    assert_422(add(gw, owner, playlist, videos[2]["id"], position=position))
    assert order(gw, owner, playlist) == ids(videos[0], videos[1])


def test_add_twice_is_400(gw, owner, videos):
    """A video already in the playlist: 400, still once."""
    playlist = playlist_with(gw, owner, videos[0], videos[1])
    assert_detail(add(gw, owner, playlist, videos[0]["id"]), 400, "Video already in playlist")
    assert_detail(add(gw, owner, playlist, videos[1]["id"], position=0), 400, "Video already in playlist")
    assert order(gw, owner, playlist) == ids(videos[0], videos[1])


def test_add_unknown_or_malformed_video(gw, owner, videos):
    """An unknown video: 404 "Video not found: <id>"; a malformed or missing id: 422."""
    playlist = playlist_with(gw, owner, videos[0])
    unknown = str(uuid.uuid4())
    assert_detail(add(gw, owner, playlist, unknown), 404, f"Video not found: {unknown}")
    assert_validation_error(add(gw, owner, playlist, "not-a-uuid"), ["body", "video_id"])
    response = gw.post(f"{BASE}/{playlist['short_id']}/videos", json={"position": 0}, token=owner.access_token)
    assert_validation_error(response, ["body", "video_id"])
    assert order(gw, owner, playlist) == ids(videos[0])


@pytest.fixture(scope="module")
def others_pending(other) -> dict:
    """A video of `other` that stays pending (social knows it)."""
    with gateway_session() as session:
        return pending_video(session, other, title="Not yet public")


def test_someone_elses_pending_video_is_404(gw, owner, other, admin, others_pending):
    """Another user's pending video is not found for the owner; its uploader and the admin may add it."""
    playlist = create_playlist(gw, owner)
    assert_detail(add(gw, owner, playlist, others_pending["id"]), 404, f"Video not found: {others_pending['id']}")
    assert order(gw, owner, playlist) == []
    for user in (other, admin):
        own = create_playlist(gw, user)
        add_video(gw, user, own, others_pending)
        assert order(gw, user, own) == [others_pending["id"]]


def test_only_the_owner_adds(gw, owner, other, admin, videos):
    """Another user or the admin adding to someone's playlist: 403."""
    playlist = create_playlist(gw, owner)
    for intruder in (other, admin):
        assert_detail(add(gw, intruder, playlist, videos[0]["id"]), 403, NO_MODIFY)
        assert_detail(batch(gw, intruder, playlist, [videos[0]["id"]]), 403, NO_MODIFY)
    assert order(gw, owner, playlist) == []


# --- batch -----------------------------------------------------------------------------------------------


def test_batch_keeps_order_and_skips_what_is_there(gw, owner, videos):
    """A batch appends in the given order; ids already present or repeated are skipped;
    the answer lists only the new entries; nothing new -> []."""
    v = videos
    playlist = create_playlist(gw, owner)
    response = batch(gw, owner, playlist, ids(v[2], v[0], v[1]))
    assert response.status_code == 200, response.text[:300]
    added = response.json()
    assert [e["video_id"] for e in added] == ids(v[2], v[0], v[1]) and [e["position"] for e in added] == [0, 1, 2]
    for entry, video in zip(added, (v[2], v[0], v[1])):
        assert_entry(entry, playlist, video, owner)
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[1])

    response = batch(gw, owner, playlist, ids(v[0], v[4], v[4], v[3], v[2]))
    assert response.status_code == 200, response.text[:300]
    assert [(e["video_id"], e["position"]) for e in response.json()] == [(v[4]["id"], 3), (v[3]["id"], 4)]
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[1], v[4], v[3])

    response = batch(gw, owner, playlist, ids(v[3], v[0]))
    assert response.status_code == 200 and response.json() == [], response.text[:300]
    assert order(gw, owner, playlist) == ids(v[2], v[0], v[1], v[4], v[3])


def test_batch_with_unknown_ids_adds_nothing(gw, owner, videos):
    """Unknown ids: 404 "Videos not found: id1, id2" and not even the known ones are added."""
    playlist = playlist_with(gw, owner, videos[0])
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    response = batch(gw, owner, playlist, [first, videos[1]["id"], second])
    assert_detail(response, 404, f"Videos not found: {first}, {second}")
    assert order(gw, owner, playlist) == ids(videos[0])


def test_batch_validation(gw, owner):
    """An empty or missing list of ids: 422."""
    playlist = create_playlist(gw, owner)
    assert_validation_error(batch(gw, owner, playlist, []), ["body", "video_ids"])
    response = gw.post(f"{BASE}/{playlist['short_id']}/videos/batch", json={}, token=owner.access_token)
    assert_validation_error(response, ["body", "video_ids"])
    assert order(gw, owner, playlist) == []


# --- removing ------------------------------------------------------------------------------------------------


def test_remove_shifts_later_entries_down(gw, owner, other, videos):
    """DELETE /{sid}/videos/{id}: 204, later entries move up; again: 404; others: 403."""
    v = videos
    playlist = playlist_with(gw, owner, v[0], v[1], v[2], v[3])
    path = f"{BASE}/{playlist['short_id']}/videos"
    assert_detail(gw.delete(f"{path}/{v[1]['id']}", token=other.access_token), 403, NO_MODIFY)
    response = gw.delete(f"{path}/{v[1]['id']}", token=owner.access_token)
    assert response.status_code == 204 and response.content == b"", response.text[:300]
    assert order(gw, owner, playlist) == ids(v[0], v[2], v[3])
    assert gw.delete(f"{path}/{v[0]['id']}", token=owner.access_token).status_code == 204
    assert order(gw, owner, playlist) == ids(v[2], v[3])
    assert_detail(gw.delete(f"{path}/{v[1]['id']}", token=owner.access_token), 404, "Video not found in playlist")
    assert_detail(gw.delete(f"{path}/{uuid.uuid4()}", token=owner.access_token), 404, "Video not found in playlist")
    assert order(gw, owner, playlist) == ids(v[2], v[3])


# --- reordering ------------------------------------------------------------------------------------------------


def reordered(gw, user, playlist: dict, items: list) -> list:
    """Applies a reorder that must succeed; returns the new order."""
    response = reorder(gw, user, playlist, items)
    assert response.status_code == 200, response.text[:300]
    assert response.json() == {"message": "Playlist reordered successfully"}
    return order(gw, user, playlist)


def test_reorder_full_permutation(gw, owner, videos):
    """Every video given a position: exactly that order."""
    a, b, c, d = videos[:4]
    playlist = playlist_with(gw, owner, a, b, c, d)
    assert reordered(gw, owner, playlist, moves((a, 3), (b, 1), (c, 0), (d, 2))) == ids(c, b, d, a)


def test_reorder_partial_lists(gw, owner, videos):
    """Listed videos go to their positions; the others fill the free positions in their previous order."""
    a, b, c, d, e = videos
    playlist = playlist_with(gw, owner, a, b, c, d, e)
    assert reordered(gw, owner, playlist, moves((e, 0))) == ids(e, a, b, c, d)
    assert reordered(gw, owner, playlist, moves((e, 4), (a, 3))) == ids(b, c, d, a, e)
    assert reordered(gw, owner, playlist, moves((d, 1))) == ids(b, d, c, a, e)
    assert reordered(gw, owner, playlist, moves((c, 2))) == ids(b, d, c, a, e)


@pytest.mark.parametrize("case", ["same video twice", "same position twice", "position = n", "negative position"])
def test_reorder_invalid_positions_are_422(gw, owner, videos, case):
    """The same video twice, the same position twice, or a position outside 0..n-1: 422, nothing stored."""
    a, b, c = videos[:3]
    playlist = playlist_with(gw, owner, a, b, c)
    items = {
        "same video twice": moves((a, 2), (a, 1)),
        "same position twice": moves((a, 1), (c, 1)),
        "position = n": moves((c, 0), (a, 3)),
        "negative position": moves((b, -1)),
    }[case]
    assert_422(reorder(gw, owner, playlist, items))
    assert order(gw, owner, playlist) == ids(a, b, c)


def test_reorder_unknown_video_is_404(gw, owner, videos):
    """A video not in the playlist: 404 "Video <id> not found in playlist"; nothing stored."""
    a, b, c = videos[:3]
    playlist = playlist_with(gw, owner, a, b)
    for missing in (c["id"], str(uuid.uuid4())):
        items = [{"video_id": b["id"], "position": 0}, {"video_id": missing, "position": 1}]
        assert_detail(reorder(gw, owner, playlist, items), 404, f"Video {missing} not found in playlist")
        assert order(gw, owner, playlist) == ids(a, b)


@pytest.mark.parametrize("item", [{"video_id": "V"}, {"position": 0}, {}])
def test_reorder_item_missing_a_key_is_400(gw, owner, videos, item):
    """An item without video_id or position: 400; nothing stored (even the valid items)."""
    a, b = videos[:2]
    playlist = playlist_with(gw, owner, a, b)
    items = [{"video_id": b["id"], "position": 0}, {k: (a["id"] if v == "V" else v) for k, v in item.items()}]
    assert_detail(reorder(gw, owner, playlist, items), 400, "Each item must have video_id and position")
    assert order(gw, owner, playlist) == ids(a, b)


def test_only_the_owner_reorders(gw, owner, other, admin, videos):
    """Another user or the admin: 403; the order stays."""
    a, b = videos[:2]
    playlist = playlist_with(gw, owner, a, b)
    for intruder in (other, admin):
        assert_detail(reorder(gw, intruder, playlist, moves((b, 0), (a, 1))), 403, NO_MODIFY)
    assert order(gw, owner, playlist) == ids(a, b)


# --- thumbnails ------------------------------------------------------------------------------------------------


def set_thumbnail(gw, user, video: dict, name: str) -> None:
    """Gives a video another thumbnail filename in media and lets social hear of it (a PATCH of the
    same title announces media.video.updated with the row's snapshot)."""
    psql(f"UPDATE media.videos SET thumbnail_filename = '{name}' WHERE id = '{video['id']}'")
    response = gw.patch(f"/api/videos/{video['short_id']}", json={"title": video["title"]}, token=user.access_token)
    assert response.status_code == 200, response.text[:300]


def embedded_thumbnail(gw, user, playlist: dict, video: dict):
    entry = next(e for e in get_playlist(gw, user, playlist)["videos"] if e["video_id"] == video["id"])
    return entry["video"]["thumbnail_filename"]


def thumbnails_everywhere(gw, user, playlist: dict) -> set:
    """first_video_thumbnail of the playlist as GET, GET / and GET /by-user show it."""
    seen = {get_playlist(gw, user, playlist)["first_video_thumbnail"]}
    for path in (f"{BASE}/", f"{BASE}/by-user/{user.username}"):
        listed = gw.get(path, token=user.access_token).json()["playlists"]
        seen |= {p["first_video_thumbnail"] for p in listed if p["id"] == playlist["id"]}
    return seen


def test_first_video_thumbnail_follows_the_lowest_position(gw, owner, videos):
    """first_video_thumbnail is the thumbnail of the lowest-position video that has one (not the
    alphabetically smallest): null for a pending video alone, then follows adds and reorders."""
    a, b = videos[3], videos[4]
    t = secrets.token_hex(3)
    playlist = create_playlist(gw, owner)
    pending = pending_video(gw, owner)
    add_video(gw, owner, playlist, pending)
    assert thumbnails_everywhere(gw, owner, playlist) == {None}

    for video, name in ((a, f"z-{t}.jpg"), (b, f"a-{t}.jpg")):
        add_video(gw, owner, playlist, video)
        set_thumbnail(gw, owner, video, name)
        wait_until(lambda: embedded_thumbnail(gw, owner, playlist, video) == name, 15,
                   f"social did not take thumbnail {name} from media.video.updated")
    assert order(gw, owner, playlist) == ids(pending, a, b)
    assert thumbnails_everywhere(gw, owner, playlist) == {f"z-{t}.jpg"}
    reordered(gw, owner, playlist, moves((b, 0)))
    assert thumbnails_everywhere(gw, owner, playlist) == {f"a-{t}.jpg"}
    assert gw.delete(f"{BASE}/{playlist['short_id']}/videos/{b['id']}", token=owner.access_token).status_code == 204
    assert thumbnails_everywhere(gw, owner, playlist) == {f"z-{t}.jpg"}


# --- playlists of a video -------------------------------------------------------------------------------------------


def test_playlists_of_a_video_are_the_callers_with_contains_video(gw, owner, videos):
    """GET /videos/{id}/playlists: only the caller's playlists, newest first, each with contains_video."""
    user = new_user()
    video = videos[0]
    create_playlist(gw, owner)  # someone else's, holding the video
    add_video(gw, owner, create_playlist(gw, owner), video)
    first = playlist_with(gw, user, video)
    second = create_playlist(gw, user)
    third = playlist_with(gw, user, videos[1], video)

    response = gw.get(f"{BASE}/videos/{video['id']}/playlists", token=user.access_token)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert set(body) == {"playlists", "total"} and body["total"] == 3
    listed = body["playlists"]
    assert [p["id"] for p in listed] == [third["id"], second["id"], first["id"]]
    assert [p["contains_video"] for p in listed] == [True, False, True]
    for playlist in listed:
        assert set(playlist) == PLAYLIST_KEYS | {"contains_video"}, sorted(playlist)


def test_playlists_of_a_malformed_video_id_is_422(gw, owner):
    """A malformed video id: 422."""
    assert_422(gw.get(f"{BASE}/videos/not-a-uuid/playlists", token=owner.access_token))


# --- events, counts, cascades ----------------------------------------------------------------------------------


def same_id(actual, expected: str) -> bool:
    return str(actual or "").lower() == expected.lower()


def test_created_and_deleted_events(gw, owner, events):
    """Create and delete announce social.playlist.created/deleted {playlist_id, created_by}."""
    listener = events("social.playlist.*")
    playlist = create_playlist(gw, owner)
    event = wait_event(listener, "social.playlist.created", lambda d: same_id(d.get("playlist_id"), playlist["id"]))
    assert same_id(event["data"].get("created_by"), owner.id) and event["producer"] == "social"
    assert gw.delete(f"{BASE}/{playlist['short_id']}", token=owner.access_token).status_code == 204
    event = wait_event(listener, "social.playlist.deleted", lambda d: same_id(d.get("playlist_id"), playlist["id"]))
    assert same_id(event["data"].get("created_by"), owner.id)


def playlist_count(gw, user) -> int:
    response = gw.get(f"/api/users/{user.id}", token=user.access_token)
    assert response.status_code == 200, response.text[:300]
    return response.json()["playlist_count"]


def test_auth_playlist_count_follows(gw, admin):
    """The owner's playlist_count in auth follows creates and deletes (also an admin's delete)."""
    user = new_user()
    made = [create_playlist(gw, user) for _ in range(2)]
    wait_until(lambda: playlist_count(gw, user) == 2, 10, f"playlist_count is {playlist_count(gw, user)}, not 2")
    assert gw.delete(f"{BASE}/{made[0]['short_id']}", token=user.access_token).status_code == 204
    wait_until(lambda: playlist_count(gw, user) == 1, 10, f"playlist_count is {playlist_count(gw, user)}, not 1")
    assert gw.delete(f"{BASE}/{made[1]['short_id']}", token=admin.access_token).status_code == 204
    wait_until(lambda: playlist_count(gw, user) == 0, 10, f"playlist_count is {playlist_count(gw, user)}, not 0")


def test_deleted_video_leaves_every_playlist(gw, owner, admin, videos):
    """Deleting a video removes it from every playlist (the owner's and the admin's) within seconds,
    positions compacted."""
    doomed = pending_video(gw, owner, title="Doomed")
    mine = playlist_with(gw, owner, videos[0], doomed, videos[1])
    theirs = playlist_with(gw, admin, doomed, videos[2])
    delete_video(gw, owner, doomed)
    wait_until(lambda: doomed["id"] not in order(gw, owner, mine), 15, "the deleted video stayed in a playlist")
    wait_until(lambda: doomed["id"] not in order(gw, admin, theirs), 15, "the deleted video stayed in a playlist")
    assert order(gw, owner, mine) == ids(videos[0], videos[1])
    assert order(gw, admin, theirs) == ids(videos[2])
    assert_detail(add(gw, owner, mine, doomed["id"]), 404, f"Video not found: {doomed['id']}")


# --- limits and malformed paths ---------------------------------------------------------------


def test_batch_of_more_than_500_is_422(gw, owner, videos):
    """A batch is at most 500 ids; more is a 422 at video_ids and nothing is added."""
    playlist = create_playlist(gw, owner)
    errors = assert_422(batch(gw, owner, playlist, [videos[0]["id"]] * 501))
    assert errors[0]["loc"] == ["body", "video_ids"], errors
    assert order(gw, owner, playlist) == []


def test_remove_with_a_malformed_video_id_is_422(gw, owner):
    """DELETE /{short_id}/videos/not-a-uuid: a 422 at the path, like every other id route."""
    playlist = create_playlist(gw, owner)
    response = gw.delete(f"/api/playlists/{playlist['short_id']}/videos/not-a-uuid", token=owner.access_token)
    errors = assert_422(response)
    assert errors[0]["loc"] == ["path", "video_id"], errors


def test_reorder_with_video_positions_not_a_list_is_422(gw, owner):
    """`video_positions` that is not a list: a 422 list_type, not a missing field."""
    playlist = create_playlist(gw, owner)
    response = gw.patch(f"/api/playlists/{playlist['short_id']}/reorder", json={"video_positions": {"a": 1}},
                        token=owner.access_token)
    errors = assert_422(response)
    assert errors[0]["type"] == "list_type", errors
