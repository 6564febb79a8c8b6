"""What the runtime configuration (API §3.8, PATCH /api/config/ as the admin) does to the media
workers' outputs; the configuration is put back after every test.

- `video_output_format: progressive`: only video.mp4 (faststart: moov before mdat),
  thumbnail and storyboard; output_format progressive; /stream plays it.
- back to `hls`: an HLS migration of the completed progressive videos
  (hls-migration-status: total, completed, is_running), the video stays playable and ends
  with renditions and a master playlist; POST /api/config/hls-migration starts one (202).
- `max_resolution: 720p` caps a 1080p source's ladder at 720p.
- `use_gpu_transcoding: true` on a machine without a GPU still completes (CPU fallback).
"""

import time

from auth_client import assert_detail, register
from media_client import wait_ready
from media_workers_support import (
    light_clip,
    config, files_under, master_variants, top_level_boxes, upload_ok, video_row,
)

MIGRATION_KEYS = {"is_running", "total", "completed", "current_video", "errors"}
ADMIN_ONLY = "Not enough permissions. Admin access required."


def migration_status(gw, admin) -> dict:
    response = gw.get("/api/config/hls-migration-status", token=admin.access_token)
    assert response.status_code == 200, response.text
    assert set(response.json()) == MIGRATION_KEYS, response.json()
    return response.json()


def test_progressive_output_then_an_hls_migration(gw, api, admin, config, tmp_path):
    owner = register(api, admin)
    config(video_output_format="progressive")
    video = upload_ok(gw, owner, light_clip(tmp_path / "prog.mp4", 2, "640x360"), title="Progressive")
    folder = wait_ready(video)
    row = video_row(video["id"])
    assert row["output_format"] == "progressive", row
    names = set(files_under(folder))
    assert {"video.mp4", "thumbnail.jpg"} <= names, names
    assert "master.m3u8" not in names and not any("/" in n for n in names), f"HLS outputs in a progressive video: {names}"
    assert row["file_size_bytes"] == sum(files_under(folder).values()), row
    boxes = top_level_boxes(folder / "video.mp4")
    assert "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat"), \
        f"video.mp4 is not faststart: {boxes}"
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token).json()
    assert info["format"] == "progressive" and info["ready"] is True, info
    assert "manifest_url" not in info, info
    stream = gw.get(info["stream_url"], token=owner.access_token)
    assert stream.status_code == 200 and stream.content == (folder / "video.mp4").read_bytes()
    assert_detail(gw.get(f"/api/videos/{video['short_id']}/hls/master.m3u8", token=owner.access_token), 404,
                  "This video uses progressive streaming, not HLS")

    # Back to HLS: the progressive videos are migrated; ours stays completed and playable.
    config(video_output_format="hls")
    seen, deadline = [], time.monotonic() + 180
    while time.monotonic() < deadline:
        status = migration_status(gw, admin)
        seen.append(status)
        assert video_row(video["id"])["processing_status"] == "completed", "the video left completed while migrating"
        if not status["is_running"] and status["total"] >= 1 and status["completed"] + len(status["errors"]) == status["total"]:
            break
        time.sleep(0.3)
    assert status["total"] >= 1, f"no migration started: {seen[:3]}"
    assert not status["is_running"] and status["completed"] == status["total"] and status["errors"] == [], \
        f"the migration did not complete: {status}"
    row = video_row(video["id"])
    assert row["output_format"] == "hls" and row["renditions"], row
    assert [r["height"] for r in row["renditions"]] == [360], row["renditions"]
    assert (folder / "master.m3u8").is_file() and (folder / "360p" / "index.m3u8").is_file()
    assert len(master_variants((folder / "master.m3u8").read_text())) == 1
    assert row["file_size_bytes"] == sum(files_under(folder).values()), row
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token).json()
    assert info["format"] == "hls" and [r["height"] for r in info["renditions"]] == [360], info
    manifest = gw.get(info["manifest_url"], token=owner.access_token)
    assert manifest.status_code == 200, manifest.text


def test_an_hls_migration_is_started_explicitly(gw, api, admin, config):
    user = register(api, admin)
    assert_detail(gw.post("/api/config/hls-migration", token=user.access_token), 403, ADMIN_ONLY)
    assert_detail(gw.get("/api/config/hls-migration-status", token=user.access_token), 403, ADMIN_ONLY)
    response = gw.post("/api/config/hls-migration", token=admin.access_token)
    assert response.status_code == 202, response.text
    assert set(response.json()) == MIGRATION_KEYS, response.json()
    status = response.json()
    deadline = time.monotonic() + 120
    while status["is_running"] and time.monotonic() < deadline:
        time.sleep(0.3)
        status = migration_status(gw, admin)
    assert not status["is_running"] and status["completed"] + len(status["errors"]) == status["total"], status


def test_max_resolution_caps_the_ladder(gw, api, admin, config, tmp_path):
    owner = register(api, admin)
    config(max_resolution="720p")
    video = upload_ok(gw, owner, light_clip(tmp_path / "big.mp4", 2, "1920x1080"), title="Capped")
    folder = wait_ready(video)
    rungs = sorted((p.name for p in folder.iterdir() if p.is_dir()), key=lambda n: int(n[:-1]))
    assert rungs == ["360p", "480p", "720p"], rungs
    assert [r["height"] for r in video_row(video["id"])["renditions"]] == [360, 480, 720]


def test_gpu_transcoding_without_a_gpu_falls_back_to_the_cpu(gw, api, admin, config, tmp_path):
    owner = register(api, admin)
    encoders = gw.get("/api/config/encoders", token=admin.access_token)
    assert encoders.status_code == 200, encoders.text
    config(use_gpu_transcoding=True)
    video = upload_ok(gw, owner, light_clip(tmp_path / "gpu.mp4", 2, "640x360"), title="No GPU here")
    folder = wait_ready(video)
    row = video_row(video["id"])
    assert row["output_format"] == "hls" and [r["height"] for r in row["renditions"]] == [360], row
    assert (folder / "master.m3u8").is_file()
