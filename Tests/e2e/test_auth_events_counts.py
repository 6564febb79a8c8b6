"""The counts auth keeps from other services' events: video_count,
playlist_count and the upload quota fields.

The tests publish the events themselves, as media and social would:
media.video.created/deleted, social.playlist.created/deleted,
media.quota.changed. Within 5 s the user's profile reflects them; the same
envelope (same id) counts once; the directory's `videos` and `playlists`
sorts follow the counts.
"""

import time
import uuid
from datetime import datetime, timedelta, timezone

from auth_client import me, parse_datetime, register, unique_name
from auth_events import envelope, publish, rfc3339
from support import wait_for

COUNT_SECONDS = 5


def video(event: str, user, video_id: str = None) -> dict:
    return envelope(f"media.video.{event}", {"video_id": video_id or str(uuid.uuid4()), "uploaded_by": user.id},
                    "media")


def playlist(event: str, user, playlist_id: str = None) -> dict:
    return envelope(f"social.playlist.{event}",
                    {"playlist_id": playlist_id or str(uuid.uuid4()), "created_by": user.id}, "social")


def eventually(api, user, **expected) -> dict:
    """The user's /me once its fields have the expected values (within 5 s)."""
    def current():
        body = me(api, user)
        return body if all(body.get(k) == v for k, v in expected.items()) else None

    body = wait_for(current, COUNT_SECONDS)
    assert body is not None, f"after {COUNT_SECONDS} s {user.username} is not {expected}: {me(api, user)}"
    return body


def test_video_events_count_and_uncount(api, admin):
    user = register(api, admin)
    first, second = video("created", user), video("created", user)
    publish(first, second)
    eventually(api, user, video_count=2)
    publish(video("deleted", user, first["data"]["video_id"]))
    eventually(api, user, video_count=1)


def test_playlist_events_count_and_uncount(api, admin):
    user = register(api, admin)
    created = playlist("created", user)
    publish(created, playlist("created", user), playlist("created", user))
    eventually(api, user, playlist_count=3)
    publish(playlist("deleted", user, created["data"]["playlist_id"]))
    eventually(api, user, playlist_count=2, video_count=0)


def test_the_same_event_counts_once(api, admin):
    user = register(api, admin)
    once = video("created", user)
    publish(once, once, dict(once))
    publish(playlist("created", user))  # applied after the copies: a marker that they were seen
    eventually(api, user, playlist_count=1)
    time.sleep(1)
    assert me(api, user)["video_count"] == 1, "a redelivered event was counted twice"


def test_a_late_duplicate_does_not_bring_a_deleted_video_back(api, admin):
    user = register(api, admin)
    created = video("created", user)
    publish(created)
    eventually(api, user, video_count=1)
    publish(video("deleted", user, created["data"]["video_id"]))
    eventually(api, user, video_count=0)
    publish(created, playlist("created", user))  # the redelivered copy, then a marker
    eventually(api, user, playlist_count=1)
    time.sleep(1)
    assert me(api, user)["video_count"] == 0, "a redelivered event was applied again"


def test_quota_changed_updates_the_quota(api, admin):
    user = register(api, admin)
    reset_at = (datetime.now(timezone.utc) - timedelta(days=2)).replace(microsecond=250000)
    publish(envelope("media.quota.changed",
                     {"user_id": user.id, "weekly_upload_bytes": 123456789, "last_upload_reset": rfc3339(reset_at)},
                     "media"))
    body = eventually(api, user, weekly_upload_bytes=123456789)
    assert parse_datetime(body["last_upload_reset"]) == reset_at, body


def test_others_see_the_counts(api, admin):
    user = register(api, admin)
    viewer = register(api, admin)
    publish(video("created", user), playlist("created", user))
    eventually(api, user, video_count=1, playlist_count=1)
    profile = api.get(f"/api/users/{user.id}", token=viewer.access_token).json()
    assert profile["video_count"] == 1 and profile["playlist_count"] == 1, profile
    entries = api.get("/api/users/directory", params={"search": user.username}, token=viewer.access_token).json()
    assert [(e["id"], e["video_count"], e["playlist_count"]) for e in entries] == [(user.id, 1, 1)], entries


def sorted_directory(api, admin, sort: str, event) -> None:
    """Three users with counts 1, 2, 1 of `event` kind: the sort puts the 2
    first, then the tie by username."""
    prefix = unique_name("cnt")
    users = [register(api, admin, username=f"{prefix}_{i}") for i in range(3)]
    publish(event(users[0]), event(users[1]), event(users[1]), event(users[2]))
    field = "video_count" if sort == "videos" else "playlist_count"
    for user, count in zip(users, (1, 2, 1)):
        eventually(api, user, **{field: count})
    response = api.get("/api/users/directory", params={"search": prefix, "sort": sort}, token=users[0].access_token)
    assert response.status_code == 200, response.text
    names = [entry["username"] for entry in response.json()]
    assert names == [users[1].username, users[0].username, users[2].username], names


def test_directory_sorts_by_videos(api, admin):
    sorted_directory(api, admin, "videos", lambda user: video("created", user))


def test_directory_sorts_by_playlists(api, admin):
    sorted_directory(api, admin, "playlists", lambda user: playlist("created", user))
