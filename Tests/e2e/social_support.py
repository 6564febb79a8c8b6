"""Helpers of the social end-to-end tests (categories, playlists, comments and their cascades).

What is here (the API other test files rely on; keep it stable):

- Sessions and users: `gateway_session()` (an Api on the gateway for module-scoped fixtures),
  `cached_admin()`, `new_user()` (a fresh registered, logged-in user), `probe_user()` (one user
  per test process that only looks: "can someone else see this video yet?").
- Videos: `tiny_clip()` (a 2 s 320x240 testsrc clip of a few KB, made once per process);
  `upload(gw, user, title, **fields)` (a 201 upload, left to the workers);
  `ready_video(gw, user, title=...)` / `ready_videos(gw, user, count)` upload, wait until a media
  worker has completed them AND social shows them to another user, and return the video dicts
  (re-read from media, processing_status "completed", thumbnail_filename set);
  `pending_video(gw, user)` uploads a video that stays `pending` for good (its job is withdrawn
  while the workers are paused) once social knows it; `wait_social_sees(gw, user, video,
  status)`; `read_video`; `delete_video(gw, user, video)`.
- Social objects: `create_category`, `create_playlist`, `add_video`, `get_playlist`,
  `post_comment`, `list_comments`, `comment_markers`, `age_comment` (moves a comment's
  created_at/updated_at into the past with psql).
- Shapes and assertions: CATEGORY_KEYS, PLAYLIST_KEYS, PLAYLIST_ENTRY_KEYS, COMMENT_KEYS,
  COMMENT_LIST_KEYS; `assert_comment`, `assert_playlist`, `assert_category`, `assert_status`,
  `assert_positions`; `wait_until(predicate, timeout, what)` (support.wait_for that fails with
  `what`).
- Metrics: `social_metric(name, labels)` reads one sample of social's /metrics (None if absent).

Social learns users and videos from events (auth.user.*, media.video.*), so everything here
waits for social to have heard of a video before handing it out; a video it has not heard of
answers 404.
"""

import re
import tempfile
import time
from pathlib import Path

import requests

from auth_client import Api, User, admin_user, assert_datetime, login_tokens, register, unique_name
from media_client import make_video, psql, upload_multipart, wait_ready, workers_paused
from support import process, wait_for

SOCIAL_SYNC_TIMEOUT = 15

CATEGORY_KEYS = {
    "name", "id", "slug", "description", "image_filename", "image_url", "created_by", "created_at", "updated_at",
    "video_count",
}
PLAYLIST_KEYS = {
    "id", "short_id", "name", "description", "created_by", "creator_username", "video_count", "created_at",
    "updated_at", "first_video_thumbnail",
}
PLAYLIST_ENTRY_KEYS = {"id", "playlist_id", "video_id", "position", "added_at", "added_by", "video"}
COMMENT_KEYS = {
    "id", "video_id", "content", "timestamp_seconds", "parent_id", "user_id", "author_username", "author_avatar_url",
    "created_at", "updated_at", "is_edited", "can_edit", "can_delete", "reply_count", "replies",
}
COMMENT_LIST_KEYS = {"comments", "total", "has_more"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --- sessions and users ---------------------------------------------------------------------


def gateway_session() -> Api:
    """A new session on the gateway (its own client address); close it when done."""
    return Api(process("gateway").url)


def auth_url() -> str:
    return process("auth").url


_admin = []


def cached_admin() -> User:
    """The initial admin, logged in at most every 10 minutes (tokens last 15)."""
    if not _admin or time.monotonic() - _admin[0][0] > 600:
        _admin[:] = [(time.monotonic(), admin_user(auth_url()))]
    return _admin[0][1]


def new_user(username: str = None) -> User:
    """A fresh user, invited by the admin, registered and logged in."""
    admin = cached_admin()
    with Api(auth_url()) as api:
        return register(api, admin, username=username or unique_name("s"))


_probe = []


def probe_user() -> User:
    """One plain user per test process, used to check what other users see (logged in again
    after 10 minutes: access tokens last 15)."""
    if not _probe:
        _probe[:] = [time.monotonic(), new_user()]
    elif time.monotonic() - _probe[0] > 600:
        user = _probe[1]
        with Api(auth_url()) as api:
            user.access_token = login_tokens(api, user.username, user.password)["access_token"]
        _probe[0] = time.monotonic()
    return _probe[1]


# --- videos -----------------------------------------------------------------------------------

_clip = []


def tiny_clip() -> Path:
    """A 2 s 320x240 clip of a few KB (testsrc, CRF 40), made once per process."""
    if not _clip:
        folder = Path(tempfile.mkdtemp(prefix="clipset-social-"))
        _clip.append(make_video(folder / "tiny.mp4", seconds=2, size="320x240", source="testsrc",
                                extra=["-crf", "40"]))
    return _clip[0]


def upload(gw: Api, user: User, title: str = "A video", **fields) -> dict:
    """A new (pending) video of `user`; fails unless the upload is a 201."""
    response = upload_multipart(gw, user.access_token, tiny_clip(), title=title, **fields)
    assert response.status_code == 201, f"upload failed: {response.status_code} {response.text[:300]}"
    return response.json()


def comments_status(gw: Api, user: User, video_id: str) -> int:
    return gw.get(f"/api/videos/{video_id}/comments", token=user.access_token).status_code


def wait_social_sees(gw: Api, user: User, video: dict, status: int = 200) -> None:
    """Waits until GET comments of `video` answers `status` to `user` (social has the video's state)."""
    seen = wait_for(lambda: comments_status(gw, user, video["id"]) == status, SOCIAL_SYNC_TIMEOUT, 0.1)
    assert seen, f"social does not answer {status} for video {video['id']} to {user.username} within " \
                 f"{SOCIAL_SYNC_TIMEOUT} s (got {comments_status(gw, user, video['id'])})"


def read_video(gw: Api, user: User, video: dict) -> dict:
    """The video as media shows it now."""
    response = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert response.status_code == 200, f"GET video {video['short_id']}: {response.status_code} {response.text[:300]}"
    return response.json()


def ready_videos(gw: Api, user: User, count: int, title: str = "A video", **fields) -> list:
    """`count` completed videos of `user` (uploaded at once, processed by both workers), each
    visible to other users through social; media's current dicts, oldest upload first."""
    uploaded = [upload(gw, user, f"{title} {i}" if count > 1 else title, **fields) for i in range(count)]
    for video in uploaded:
        wait_ready(video)
    for video in uploaded:
        wait_social_sees(gw, probe_user(), video)
    return [read_video(gw, user, video) for video in uploaded]


def ready_video(gw: Api, user: User, title: str = "A video", **fields) -> dict:
    """A completed video of `user` that social shows to every user (media's current dict)."""
    return ready_videos(gw, user, 1, title, **fields)[0]


def pending_video(gw: Api, user: User, title: str = "A pending video", **fields) -> dict:
    """A video of `user` that stays `pending` for good: uploaded while the workers are paused,
    its transcode job withdrawn before they run again (so its message finds no job). Returned
    once social knows it (the uploader gets 200, other users 403)."""
    with workers_paused():
        video = upload(gw, user, title, **fields)
        psql(f"DELETE FROM media.jobs WHERE video_id = '{video['id']}'")
    wait_social_sees(gw, user, video, 200)
    wait_social_sees(gw, probe_user(), video, 403)
    return video


def delete_video(gw: Api, user: User, video: dict) -> None:
    response = gw.delete(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert response.status_code == 204, f"DELETE video: {response.status_code} {response.text[:300]}"


# --- categories and playlists ---------------------------------------------------------------------


def create_category(gw: Api, admin: User, name: str = None, **fields) -> dict:
    """A new category made by `admin` through the API (201)."""
    name = name or f"Cat {unique_name('c')}"
    response = gw.post("/api/categories/", json={"name": name, **fields}, token=admin.access_token)
    assert response.status_code == 201, f"POST category: {response.status_code} {response.text[:300]}"
    return response.json()


def create_playlist(gw: Api, user: User, name: str = None, **fields) -> dict:
    """A new playlist of `user` (201)."""
    response = gw.post("/api/playlists/", json={"name": name or unique_name("pl"), **fields},
                       token=user.access_token)
    assert response.status_code == 201, f"POST playlist: {response.status_code} {response.text[:300]}"
    return response.json()


def add_video(gw: Api, user: User, playlist: dict, video: dict, position: int = None) -> dict:
    """Adds `video` to `playlist` as `user`; returns the PlaylistEntry (200)."""
    body = {"video_id": video["id"]}
    if position is not None:
        body["position"] = position
    response = gw.post(f"/api/playlists/{playlist['short_id']}/videos", json=body, token=user.access_token)
    assert response.status_code == 200, f"add video: {response.status_code} {response.text[:300]}"
    return response.json()


def get_playlist(gw: Api, user: User, playlist: dict) -> dict:
    """The PlaylistWithVideos of `playlist` (200)."""
    response = gw.get(f"/api/playlists/{playlist['short_id']}", token=user.access_token)
    assert response.status_code == 200, f"GET playlist: {response.status_code} {response.text[:300]}"
    return response.json()


# --- comments -------------------------------------------------------------------------------------


def post_comment(gw: Api, user: User, video: dict, content: str = "A comment", **fields) -> dict:
    """Posts a comment (fields: timestamp_seconds, parent_id) as `user`; returns it (201)."""
    response = gw.post(f"/api/videos/{video['id']}/comments", json={"content": content, **fields},
                       token=user.access_token)
    assert response.status_code == 201, f"POST comment: {response.status_code} {response.text[:300]}"
    return response.json()


def list_comments(gw: Api, user: User, video: dict, **params) -> dict:
    """The CommentList of `video` as `user` sees it (200)."""
    response = gw.get(f"/api/videos/{video['id']}/comments", params=params, token=user.access_token)
    assert response.status_code == 200, f"GET comments: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert set(body) == COMMENT_LIST_KEYS, f"CommentList keys: {sorted(body)}"
    return body


def comment_markers(gw: Api, user: User, video: dict) -> list:
    """The CommentMarker list of `video` (200)."""
    response = gw.get(f"/api/videos/{video['id']}/comment-markers", token=user.access_token)
    assert response.status_code == 200, f"GET markers: {response.status_code} {response.text[:300]}"
    return response.json()


def age_comment(comment_id: str, created: str, updated: str = None) -> None:
    """Moves a comment's created_at back by the interval `created` (e.g. '25 hours') and its
    updated_at by `updated` (default the same), with psql on social's table."""
    updated = updated or created
    psql(f"UPDATE social.comments SET created_at = created_at - interval '{created}', "
         f"updated_at = updated_at - interval '{updated}' WHERE id = '{comment_id}'")


# --- assertions ---------------------------------------------------------------------------------


def assert_status(response: requests.Response, status: int) -> None:
    assert response.status_code == status, \
        f"{response.request.method} {response.request.path_url}: expected {status}, got " \
        f"{response.status_code}: {response.text[:500]}"


def assert_comment(comment: dict) -> dict:
    """`comment` has exactly the Comment keys with their types; returns it."""
    assert set(comment) == COMMENT_KEYS, f"Comment keys differ: {sorted(set(comment) ^ COMMENT_KEYS)}"
    for key in ("id", "video_id", "user_id"):
        assert UUID_RE.match(comment[key]), f"{key} {comment[key]!r} is not a lower-case uuid"
    assert comment["parent_id"] is None or UUID_RE.match(comment["parent_id"]), comment
    assert isinstance(comment["content"], str) and comment["content"], comment
    assert comment["timestamp_seconds"] is None or isinstance(comment["timestamp_seconds"], int), comment
    for key in ("is_edited", "can_edit", "can_delete"):
        assert isinstance(comment[key], bool), f"{key} is not a bool: {comment}"
    assert isinstance(comment["reply_count"], int), comment
    assert comment["replies"] is None or isinstance(comment["replies"], list), comment
    assert_datetime(comment["created_at"], "created_at")
    assert_datetime(comment["updated_at"], "updated_at")
    return comment


def assert_category(category: dict) -> dict:
    assert set(category) == CATEGORY_KEYS, f"Category keys differ: {sorted(set(category) ^ CATEGORY_KEYS)}"
    assert UUID_RE.match(category["id"]) and UUID_RE.match(category["created_by"]), category
    assert isinstance(category["video_count"], int), category
    assert_datetime(category["created_at"], "created_at")
    return category


def assert_playlist(playlist: dict, with_videos: bool = False) -> dict:
    expected = PLAYLIST_KEYS | ({"videos"} if with_videos else set())
    assert set(playlist) == expected, f"Playlist keys differ: {sorted(set(playlist) ^ expected)}"
    assert re.fullmatch(r"[0-9A-Za-z]{10}", playlist["short_id"]), playlist
    assert isinstance(playlist["video_count"], int), playlist
    assert_datetime(playlist["created_at"], "created_at")
    assert_datetime(playlist["updated_at"], "updated_at")
    return playlist


def assert_positions(playlist: dict) -> list:
    """The entries of a PlaylistWithVideos are sorted by position, 0..n-1; returns their video ids."""
    positions = [entry["position"] for entry in playlist["videos"]]
    assert positions == list(range(len(positions))), f"positions are not 0..n-1: {positions}"
    return [entry["video_id"] for entry in playlist["videos"]]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.2):
    """support.wait_for that fails the test with `what` when the predicate stays false."""
    value = wait_for(predicate, timeout, interval)
    assert value is not None and value is not False, f"{what} (waited {timeout} s)"
    return value


# --- metrics ------------------------------------------------------------------------------------

_SAMPLE = re.compile(r'^(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)')
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metric_samples(text: str) -> list:
    """[(name, labels dict, value)] of a Prometheus text exposition."""
    samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line.strip())
        if not match or line.startswith("#"):
            continue
        labels = dict(_LABEL.findall(match.group("labels") or ""))
        try:
            samples.append((match.group("name"), labels, float(match.group("value"))))
        except ValueError:
            continue
    return samples


def social_metric(name: str, labels: dict = None):
    """The sum of the samples of `name` on social's /metrics whose labels include `labels`;
    None when there is none."""
    response = process("social").get("/metrics")
    assert response.status_code == 200, f"social /metrics: {response.status_code}"
    values = [value for sample, sample_labels, value in metric_samples(response.text)
              if sample == name and all(sample_labels.get(k) == v for k, v in (labels or {}).items())]
    return sum(values) if values else None
