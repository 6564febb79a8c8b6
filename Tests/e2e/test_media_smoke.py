"""Smoke: one upload each way, list, read, stream once a media worker has processed it."""

import hashlib

from auth_client import register
from media_client import VIDEO_KEYS, make_video, tus_upload, upload_multipart, wait_ready


def test_multipart_upload_becomes_a_pending_video_and_streams_once_ready(gw, api, admin, tmp_path):
    user = register(api, admin)
    clip = make_video(tmp_path / "clip.mp4")
    response = upload_multipart(gw, user.access_token, clip, title="  First  ", description="")
    assert response.status_code == 201, response.text
    video = response.json()
    assert set(video) == VIDEO_KEYS
    assert video["title"] == "First" and video["description"] is None
    assert video["processing_status"] == "pending"
    assert video["uploader_username"] == user.username
    assert video["file_size_bytes"] == clip.stat().st_size
    wait_ready(video)
    stream = gw.get(f"/api/videos/{video['short_id']}/stream", token=user.access_token, headers={"Range": "bytes=0-99"})
    assert stream.status_code == 206, stream.text
    assert len(stream.content) == 100
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info?token={user.access_token}")
    assert info.status_code == 200, info.text
    assert info.json()["format"] == "hls"
    master = gw.get(info.json()["manifest_url"], token=user.access_token)
    assert master.status_code == 200, master.text
    assert "/media/s/" in master.text


def test_tus_upload_becomes_a_video(gw, api, admin, tmp_path):
    user = register(api, admin)
    data = make_video(tmp_path / "clip.mp4").read_bytes()
    created, patched = tus_upload(gw, user.access_token, data, filename="clip.mp4", title="By tus")
    assert created.status_code == 201, created.text
    assert patched.status_code == 204, patched.text
    short_id = patched.headers["X-Video-Short-Id"]
    video = gw.get(f"/api/videos/{short_id}", token=user.access_token)
    assert video.status_code == 200, video.text
    assert video.json()["title"] == "By tus"
    listing = gw.get("/api/videos/", token=user.access_token).json()
    assert any(v["short_id"] == short_id for v in listing["videos"])
