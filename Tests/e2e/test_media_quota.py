"""The weekly upload quota, through the gateway (API §3.5 quota routes, §4.4, Part A).

- `GET /api/videos/quota/me` is the Quota shape; an upload adds exactly its size, which
  auth's profile (`weekly_upload_bytes`) shows too within seconds; deleting the video
  refunds nothing.
- With the admin's lower weekly limit an upload that would pass it is a 403 with the
  original's message, by each way in; a lower max_file_size_bytes a 400.
- `POST /api/videos/admin/quota/reset-all` (admin only) zeroes every counter; a counter
  last reset before this week started reads as zero by itself.
Every test that changes the configuration puts the defaults back (fixture `limits`).
"""

import pytest

from auth_client import assert_datetime, assert_detail, me, register
from media_client import make_video, psql, tus_upload, upload_multipart
from media_uploads_support import (  # noqa: F401 (limits is a fixture)
    ADMIN_ONLY, DEFAULT_MAX_FILE_SIZE, DEFAULT_WEEKLY_LIMIT, MiB, QUOTA_KEYS, QUOTA_MESSAGE, assert_nothing_new,
    folder_files, limits, over_quota, quota, too_large, video_rows,
)
from support import wait_for

PROFILE_WAIT = 10


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("quota") / "clip.mp4")


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory):
    """A clip of more than 1 MiB, the smallest limit the configuration takes."""
    path = make_video(tmp_path_factory.mktemp("quota") / "big.mp4", seconds=4, size="640x480", extra=["-b:v", "3M"])
    assert path.stat().st_size > MiB, path.stat().st_size
    return path


def profile_bytes(api, user):
    return me(api, user)["weekly_upload_bytes"]


def assert_quota_shape(body: dict) -> None:
    assert set(body) == QUOTA_KEYS, sorted(set(body) ^ QUOTA_KEYS)
    for key in QUOTA_KEYS - {"percentage_used", "can_upload"}:
        assert isinstance(body[key], int) and not isinstance(body[key], bool), f"{key} is not an int: {body}"
    assert isinstance(body["can_upload"], bool), body
    assert isinstance(body["percentage_used"], (int, float)) and not isinstance(body["percentage_used"], bool), body
    assert body["remaining_bytes"] == max(0, body["limit_bytes"] - body["used_bytes"]), body
    assert body["percentage_used"] == round(body["used_bytes"] / body["limit_bytes"] * 100, 2), body
    assert body["can_upload"] == (body["used_bytes"] < body["limit_bytes"]), body


def test_a_new_user_has_the_whole_quota(gw, api, admin):
    user = register(api, admin)
    body = quota(gw, user)
    assert_quota_shape(body)
    assert body == {"used_bytes": 0, "limit_bytes": DEFAULT_WEEKLY_LIMIT, "remaining_bytes": DEFAULT_WEEKLY_LIMIT,
                    "percentage_used": 0, "can_upload": True, "max_file_size_bytes": DEFAULT_MAX_FILE_SIZE}, \
        f"defaults expected (was the configuration left changed?): {body}"


def test_an_upload_counts_exactly_its_size_here_and_in_the_profile(gw, api, admin, clip, limits):
    user = register(api, admin)
    size = clip.stat().st_size
    limits(weekly_upload_limit_bytes=MiB)  # so that percentage_used shows something
    response = upload_multipart(gw, user.access_token, clip, title="Counted")
    assert response.status_code == 201, response.text
    body = quota(gw, user)
    assert_quota_shape(body)
    assert body["used_bytes"] == size
    assert body["limit_bytes"] == MiB
    assert body["remaining_bytes"] == MiB - size
    assert body["percentage_used"] == round(size / MiB * 100, 2) and body["percentage_used"] > 0
    assert body["can_upload"] is True
    seen = wait_for(lambda: profile_bytes(api, user) == size, PROFILE_WAIT)
    assert seen, f"auth's profile shows {profile_bytes(api, user)} uploaded bytes, not {size}"


def test_each_way_in_adds_to_the_same_counter(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    assert upload_multipart(gw, user.access_token, clip, title="One").status_code == 201
    _, patched = tus_upload(gw, user.access_token, data, filename="clip.mp4", title="Two")
    assert patched is not None and patched.status_code == 204, patched.text if patched is not None else None
    upload_id = gw.post("/api/videos/upload/init", token=user.access_token).json()["upload_id"]
    chunk = gw.post("/api/videos/upload/chunk", token=user.access_token, data={"upload_id": upload_id, "chunk_index": "0"},
                    files={"file": ("blob", data, "application/octet-stream")})
    assert chunk.status_code == 204, chunk.text
    done = gw.post("/api/videos/upload/complete", token=user.access_token,
                   json={"upload_id": upload_id, "title": "Three", "filename": "clip.mp4"})
    assert done.status_code == 200, done.text
    assert quota(gw, user)["used_bytes"] == 3 * len(data)
    seen = wait_for(lambda: profile_bytes(api, user) == 3 * len(data), PROFILE_WAIT)
    assert seen, f"auth's profile shows {profile_bytes(api, user)}, not {3 * len(data)}"


def test_deleting_the_video_refunds_nothing(gw, api, admin, clip):
    user = register(api, admin)
    size = clip.stat().st_size
    video = upload_multipart(gw, user.access_token, clip, title="Gone soon").json()
    assert quota(gw, user)["used_bytes"] == size
    deleted = gw.delete(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert deleted.status_code == 204, deleted.text
    assert gw.get(f"/api/videos/{video['short_id']}", token=user.access_token).status_code == 404
    assert quota(gw, user)["used_bytes"] == size, "deleting a video must not refund its quota"
    assert wait_for(lambda: profile_bytes(api, user) == size, PROFILE_WAIT)


def test_an_upload_over_the_weekly_limit_is_403_by_every_way_in(gw, api, admin, clip, big_clip, limits):
    user = register(api, admin)
    small = clip.stat().st_size
    assert upload_multipart(gw, user.access_token, clip, title="First").status_code == 201
    limits(weekly_upload_limit_bytes=MiB)
    big = big_clip.stat().st_size
    expected = over_quota(small, MiB, big)
    before = folder_files("temp/uploads")

    response = upload_multipart(gw, user.access_token, big_clip, title="Too much")
    assert response.status_code == 403, response.text
    detail = response.json().get("detail")
    assert isinstance(detail, str) and QUOTA_MESSAGE.match(detail), f"quota message {detail!r} is not in the original's format"
    assert detail == expected

    created, _ = tus_upload(gw, user.access_token, big_clip.read_bytes(), filename="big.mp4")
    assert_detail(created, 403, expected)

    upload_id = gw.post("/api/videos/upload/init", token=user.access_token).json()["upload_id"]
    chunk = gw.post("/api/videos/upload/chunk", token=user.access_token, data={"upload_id": upload_id, "chunk_index": "0"},
                    files={"file": ("blob", big_clip.read_bytes(), "application/octet-stream")})
    assert chunk.status_code == 204, chunk.text
    done = gw.post("/api/videos/upload/complete", token=user.access_token,
                   json={"upload_id": upload_id, "title": "Too much", "filename": "big.mp4"})
    assert_detail(done, 403, expected)
    init = gw.post("/api/videos/upload/init", token=user.access_token, json={"total_size": big})
    assert_detail(init, 403, expected)

    body = quota(gw, user)
    assert body["used_bytes"] == small, "a refused upload was charged"
    assert video_rows(user.id) == 1
    assert_nothing_new("temp/uploads", before)
    # Something that still fits goes through.
    assert upload_multipart(gw, user.access_token, clip, title="Still fits").status_code == 201
    assert quota(gw, user)["used_bytes"] == 2 * small


def test_the_quota_message_reports_gigabytes(gw, api, admin, clip, limits):
    """With a limit of 1.5 GiB and a user who used 1.25 GiB (set in the database), the message's numbers show."""
    user = register(api, admin)
    assert upload_multipart(gw, user.access_token, clip, title="Seed").status_code == 201
    used = 5 * (1 << 28)  # 1.25 GiB
    psql(f"UPDATE media.quotas SET weekly_upload_bytes = {used} WHERE user_id = '{user.id}'")
    limits(weekly_upload_limit_bytes=3 * (1 << 29))  # 1.5 GiB
    init = gw.post("/api/videos/upload/init", token=user.access_token, json={"total_size": 1 << 29})
    assert_detail(init, 403, "Upload would exceed weekly quota. Used: 1.25 GB / 1.50 GB. File size: 0.50 GB")
    body = quota(gw, user)
    assert body["used_bytes"] == used and body["percentage_used"] == 83.33 and body["can_upload"] is True


def test_a_lower_file_limit_is_400(gw, api, admin, clip, big_clip, limits):
    user = register(api, admin)
    config = limits(max_file_size_bytes=MiB)
    assert config["max_file_size_bytes"] == MiB
    assert quota(gw, user)["max_file_size_bytes"] == MiB
    before = folder_files("temp/uploads")
    response = upload_multipart(gw, user.access_token, big_clip, title="Too big")
    assert_detail(response, 400, too_large(MiB))
    assert_detail(response, 400, "File too large. Maximum size: 0.00 GB")
    assert_nothing_new("temp/uploads", before)
    assert video_rows(user.id) == 0 and quota(gw, user)["used_bytes"] == 0
    assert upload_multipart(gw, user.access_token, clip, title="Small enough").status_code == 201


def test_the_admin_resets_every_quota(gw, api, admin, clip):
    users = [register(api, admin), register(api, admin)]
    for user in users:
        assert upload_multipart(gw, user.access_token, clip, title="Before reset").status_code == 201
        assert quota(gw, user)["used_bytes"] == clip.stat().st_size
    response = gw.post("/api/videos/admin/quota/reset-all", token=admin.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"reset_count", "message"}, body
    assert isinstance(body["reset_count"], int) and body["reset_count"] >= len(users), body
    assert body["message"] == f"Successfully reset quotas for {body['reset_count']} users"
    for user in users:
        after = quota(gw, user)
        assert after["used_bytes"] == 0 and after["remaining_bytes"] == after["limit_bytes"], after
        assert wait_for(lambda: profile_bytes(api, user) == 0, PROFILE_WAIT), "auth's profile still shows the old bytes"
        assert_datetime(me(api, user)["last_upload_reset"], "last_upload_reset")


def test_only_admins_reset_quotas(gw, api, admin, clip):
    user = register(api, admin)
    assert upload_multipart(gw, user.access_token, clip, title="Mine").status_code == 201
    assert_detail(gw.post("/api/videos/admin/quota/reset-all", token=user.access_token), 403, ADMIN_ONLY)
    assert_detail(gw.post("/api/videos/admin/quota/reset-all"), 401, "Not authenticated")
    assert quota(gw, user)["used_bytes"] == clip.stat().st_size, "a refused reset changed the counter"


def test_a_counter_from_before_this_week_reads_as_zero(gw, api, admin, clip):
    user = register(api, admin)
    size = clip.stat().st_size
    assert upload_multipart(gw, user.access_token, clip, title="Last week").status_code == 201
    assert quota(gw, user)["used_bytes"] == size
    psql(f"UPDATE media.quotas SET last_upload_reset = now() - interval '8 days' WHERE user_id = '{user.id}'")
    body = quota(gw, user)
    assert body["used_bytes"] == 0 and body["remaining_bytes"] == body["limit_bytes"] and body["can_upload"], body
    assert upload_multipart(gw, user.access_token, clip, title="This week").status_code == 201
    assert quota(gw, user)["used_bytes"] == size, "the new week's counter must start from zero"
    assert wait_for(lambda: profile_bytes(api, user) == size, PROFILE_WAIT)


def test_anonymous_quota_is_401(gw):
    assert_detail(gw.get("/api/videos/quota/me"), 401, "Not authenticated")
