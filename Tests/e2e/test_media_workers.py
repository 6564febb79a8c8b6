"""Media workers transcode uploads for real (ARCHITECTURE §2 rule 4, §5; API §3.5, Part A),
observed through the gateway as a user would (psql and the media root only to look):

- a 720p upload becomes a 360p/480p/720p fMP4 HLS ladder with a master playlist
  (BANDWIDTH, RESOLUTION, CODECS), video.mp4, thumbnail, storyboard; the row gets
  duration, size, file_size_bytes = the outputs' bytes; the original is deleted; the job
  is done after one attempt; media.video.processed is published. 1080p: four rungs.
- ffmpeg plays every variant over HTTP through the gateway from the signed URLs only,
  with the number of frames the clip has; a tampered signature is refused.
- thumbnail 640 px wide (route and signed URL); storyboard cues cover the video and
  point inside the sprite.
- processing_progress rises while a longer clip transcodes and ends at 100.
- two workers run two jobs at once.
- a file that probes but does not decode fails with a plain message, and the worker
  goes on with the next upload.
"""

import os
import time
from urllib.parse import urljoin

import pytest

from auth_client import Api
from auth_events import EventListener
from media_client import WORKERS, media_root, psql, video_state, wait_ready, wait_status
from media_streaming_support import gateway_url, parse_signed, tamper
from media_workers_support import (
    light_clip,
    decoded_frames, ffmpeg_decode, files_under, image_size, job_rows, master_variants, output_folder,
    owner_pid, signed_get, temp_job_folders, transcode_job, upload_ok, video_row, vtt_cues, wait_running,
)
from process_control import current_pid
from support import json_log_lines, process, wait_for

FPS = 25
LADDER_720 = {360: (640, 360), 480: (854, 480), 720: (1280, 720)}


def same_aspect_width(width: int, height: int, expected: tuple) -> bool:
    """A rung's width: even, and the source's aspect within a pixel of rounding (854 or 852 for 480p)."""
    return width % 2 == 0 and height == expected[1] and abs(width - expected[0]) <= 2


def worker_pids() -> list:
    """The pids of the running workers (fails when one is not running)."""
    return [current_pid(process(name)) for name in WORKERS]


def job_end_logged(job_id: str):
    """The worker log entry that ends an attempt of the job (finished, failed, discarded), or None."""
    for name in WORKERS:
        for entry in json_log_lines(process(name).log_path):
            if str(entry.get("job.id", "")).lower() == job_id and entry.get("msg") != "job started" \
                    and entry.get("level") in ("info", "warning", "error") and "job" in str(entry.get("msg")):
                return entry
    return None


def about(listener, event_type: str, video: dict):
    """The first `event_type` event received about `video` (data.video.id), or None."""
    return next((e for e in listener.matching(event_type)
                 if str((e["data"].get("video") or {}).get("id", "")).lower() == video["id"]), None)


@pytest.fixture(scope="module")
def hls720(owner, tmp_path_factory):
    """One 3 s 1280x720 clip with audio, uploaded once and processed by a worker."""
    clip = light_clip(tmp_path_factory.mktemp("w720") / "source720.mp4", 3, "1280x720")
    listener = EventListener(["media.video.processed"])
    try:
        with Api(gateway_url()) as gw:
            video = upload_ok(gw, owner, clip, title="Ladder 720")
            assert video["processing_status"] == "pending"
            folder = wait_ready(video)
            info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token)
        assert info.status_code == 200, info.text
        event = wait_for(lambda: about(listener, "media.video.processed", video), 15)
    finally:
        listener.close()
    return {"video": video, "folder": folder, "info": info.json(), "clip": clip, "event": event}


# --- the ladder ------------------------------------------------------------------------------


def test_a_720p_upload_becomes_a_three_rung_hls_ladder(hls720):
    folder = hls720["folder"]
    names = set(os.listdir(folder))
    rungs = sorted(name for name in names if (folder / name).is_dir())
    assert rungs == ["360p", "480p", "720p"], f"rung folders {rungs} in {sorted(names)}"
    for required in ("master.m3u8", "video.mp4", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt"):
        assert required in names, f"{required} missing from {sorted(names)}"
    for rung in rungs:
        inside = set(os.listdir(folder / rung))
        assert "index.m3u8" in inside, f"{rung}: {sorted(inside)}"
        assert any(n.endswith(".m4s") for n in inside), f"{rung} has no fMP4 segments: {sorted(inside)}"
        assert any(n.endswith(".mp4") for n in inside), f"{rung} has no init segment: {sorted(inside)}"
        assert not any(n.endswith(".ts") for n in inside), f"{rung} has MPEG-TS segments: {sorted(inside)}"

    variants = master_variants((folder / "master.m3u8").read_text())
    assert [uri for _, uri in variants] == ["360p/index.m3u8", "480p/index.m3u8", "720p/index.m3u8"], variants
    for (attrs, uri), height in zip(variants, (360, 480, 720)):
        assert int(attrs.get("BANDWIDTH", "0")) > 0, f"{uri}: {attrs}"
        assert attrs.get("CODECS", "").startswith("avc1.") and "mp4a.40.2" in attrs["CODECS"], f"{uri}: {attrs}"
        width, h = (int(v) for v in attrs["RESOLUTION"].split("x"))
        assert same_aspect_width(width, h, LADDER_720[height]), f"{uri}: RESOLUTION {attrs['RESOLUTION']}"
    bandwidths = [int(attrs["BANDWIDTH"]) for attrs, _ in variants]
    assert bandwidths == sorted(bandwidths), f"bandwidths do not rise with the rungs: {bandwidths}"


def test_the_row_and_job_record_the_outputs(hls720):
    video, folder = hls720["video"], hls720["folder"]
    row = video_row(video["id"])
    assert row["processing_status"] == "completed" and row["processing_progress"] == 100, row
    assert row["output_format"] == "hls" and row["error_message"] is None, row
    assert row["width"] == 1280 and row["height"] == 720, row
    assert row["duration_seconds"] in (2, 3), row
    assert row["thumbnail_filename"] == "thumbnail.jpg" and row["storyboard_filename"] == "storyboard.vtt", row
    assert row["source_path"] is None, row
    sizes = files_under(folder)
    assert row["file_size_bytes"] == sum(sizes.values()), \
        f"file_size_bytes {row['file_size_bytes']} but the outputs hold {sum(sizes.values())}: {sizes}"
    assert [r["height"] for r in row["renditions"]] == [360, 480, 720], row["renditions"]
    for rendition in row["renditions"]:
        assert rendition["bandwidth"] > 0 and same_aspect_width(rendition["width"], rendition["height"],
                                                                LADDER_720[rendition["height"]]), rendition
    assert not (media_root() / "originals" / video["filename"]).exists(), "the original is still there"

    job = transcode_job(video["id"])
    assert job["state"] == "done" and job["attempts"] == 1 and job["error"] is None, job
    assert job["started_at"] and job["finished_at"] and job["finished_at"] >= job["started_at"], job
    assert temp_job_folders(job["id"]) == [], "the job's work folder is left in temp/jobs"
    assert hls720["event"] is not None, "no media.video.processed event for the video"


def test_stream_info_of_a_transcoded_video(gw, owner, hls720):
    video, info = hls720["video"], hls720["info"]
    assert info["format"] == "hls" and info["ready"] is True and info["processing_status"] == "completed", info
    assert info["manifest_url"] == f"/api/videos/{video['short_id']}/hls/master.m3u8"
    assert [r["height"] for r in info["renditions"]] == [360, 480, 720], info["renditions"]
    assert all(r["bandwidth"] > 0 for r in info["renditions"]), info["renditions"]
    for key, file in (("signed_manifest_url", "master.m3u8"), ("progressive_url", "video.mp4"),
                      ("thumbnail_url", "thumbnail.jpg"), ("storyboard_url", "storyboard.vtt")):
        parts = parse_signed(info[key])
        assert parts["video"] == video["id"] and parts["file"] == file, (key, info[key])


def test_a_1080p_upload_gets_four_rungs(gw, owner, tmp_path):
    clip = light_clip(tmp_path / "source1080.mp4", 2, "1920x1080")
    video = upload_ok(gw, owner, clip, title="Ladder 1080")
    folder = wait_ready(video)
    rungs = sorted((p.name for p in folder.iterdir() if p.is_dir()), key=lambda n: int(n[:-1]))
    assert rungs == ["360p", "480p", "720p", "1080p"], rungs
    variants = master_variants((folder / "master.m3u8").read_text())
    assert [attrs["RESOLUTION"] for attrs, _ in variants][-1] == "1920x1080", variants
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token).json()
    assert [r["height"] for r in info["renditions"]] == [360, 480, 720, 1080], info
    row = video_row(video["id"])
    assert (row["width"], row["height"]) == (1920, 1080) and row["file_size_bytes"] == sum(files_under(folder).values())


def test_a_portrait_source_is_laddered_by_its_short_side(gw, owner, tmp_path):
    video = upload_ok(gw, owner, light_clip(tmp_path / "portrait.mp4", 2, "720x1280"), title="Portrait")
    folder = wait_ready(video)
    rungs = sorted((p.name for p in folder.iterdir() if p.is_dir()), key=lambda n: int(n[:-1]))
    assert rungs == ["360p", "480p", "720p"], rungs
    resolutions = [attrs["RESOLUTION"] for attrs, _ in master_variants((folder / "master.m3u8").read_text())]
    assert resolutions[0] == "360x640" and resolutions[-1] == "720x1280", resolutions
    assert resolutions[1] in ("480x854", "480x852"), resolutions


# --- playing it through the gateway ---------------------------------------------------------------


def test_ffmpeg_plays_every_variant_from_the_signed_manifest(hls720):
    url = gateway_url() + hls720["info"]["signed_manifest_url"]
    expected = 3 * FPS
    for index in range(3):
        frames = decoded_frames(url, f"0:v:{index}")
        assert abs(frames - expected) <= 2, f"variant {index}: {frames} frames decoded, expected about {expected}"
    everything = ffmpeg_decode(url, "-map", "0")
    assert everything.returncode == 0, everything.stderr[-2000:]


def test_ffmpeg_plays_the_api_manifest_with_a_token_and_its_uris_are_signed(gw, owner, hls720):
    video = hls720["video"]
    manifest = gw.get(hls720["info"]["manifest_url"], token=owner.access_token)
    assert manifest.status_code == 200, manifest.text
    variants = master_variants(manifest.text)
    assert len(variants) == 3, manifest.text
    for _, uri in variants:
        parts = parse_signed(uri)
        assert parts["video"] == video["id"] and parts["file"].endswith("/index.m3u8"), uri
        playlist = signed_get(uri)
        assert playlist.status == 200, f"{uri}: {playlist.status} {playlist.text[:200]}"
        for line in playlist.text.splitlines():
            if line and not line.startswith("#"):  # segments, relative to the signed playlist
                segment = signed_get(urljoin(uri, line))
                assert segment.status == 200 and segment.body, f"{line}: {segment.status}"
    url = f"{gateway_url()}{hls720['info']['manifest_url']}?token={owner.access_token}"
    frames = decoded_frames(url, "0:v:2")
    assert abs(frames - 3 * FPS) <= 2, frames


def test_a_tampered_signature_is_refused(gw, owner, hls720):
    info = hls720["info"]
    forged = tamper(info["signed_manifest_url"])
    assert signed_get(forged).status == 403
    result = ffmpeg_decode(gateway_url() + forged, timeout=60)
    assert result.returncode != 0, "ffmpeg played a manifest with a forged signature"
    manifest = gw.get(info["manifest_url"], token=owner.access_token).text
    variant = master_variants(manifest)[0][1]
    assert signed_get(variant).status == 200
    assert signed_get(tamper(variant)).status == 403
    assert signed_get(tamper(info["progressive_url"])).status == 403


# --- thumbnail and storyboard ----------------------------------------------------------------------


def test_thumbnail_is_a_640_pixel_jpeg(gw, owner, hls720, tmp_path):
    video, info = hls720["video"], hls720["info"]
    route = gw.get(f"/api/videos/{video['short_id']}/thumbnail", token=owner.access_token)
    assert route.status_code == 200, route.text
    assert route.headers["Content-Type"].startswith("image/jpeg") and route.content[:3] == b"\xff\xd8\xff"
    width, height = image_size(route.content, tmp_path)
    assert width == 640 and abs(height - 360) <= 1, (width, height)
    signed = signed_get(info["thumbnail_url"])
    assert signed.status == 200 and signed.body == route.content


def test_storyboard_cues_cover_the_video_inside_the_sprite(hls720, tmp_path):
    info = hls720["info"]
    index = signed_get(info["storyboard_url"])
    assert index.status == 200, index.text
    cues = vtt_cues(index.text)
    assert cues, index.text
    duration = video_row(hls720["video"]["id"])["duration_seconds"]
    assert cues[0][0] == 0, cues[0]
    for (_, end, _), (start, _, _) in zip(cues, cues[1:]):
        assert abs(start - end) < 0.01, f"gap or overlap between cues: {cues}"
    assert cues[-1][1] >= duration - 0.5, f"the cues end at {cues[-1][1]}, the video lasts {duration}: {cues}"

    sprites = {}
    for start, end, payload in cues:
        assert end > start, (start, end, payload)
        image, _, fragment = payload.partition("#xywh=")
        assert fragment, f"cue without #xywh=: {payload!r}"
        x, y, w, h = (int(v) for v in fragment.split(","))
        if image not in sprites:
            sprite = signed_get(urljoin(info["storyboard_url"], image))
            assert sprite.status == 200, f"{image}: {sprite.status}"
            sprites[image] = image_size(sprite.body, tmp_path, f"sprite{len(sprites)}.jpg")
        sprite_w, sprite_h = sprites[image]
        assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= sprite_w and y + h <= sprite_h, \
            f"{payload} outside the {sprite_w}x{sprite_h} sprite"


# --- progress ---------------------------------------------------------------------------------------


def test_progress_rises_while_a_longer_clip_transcodes(gw, owner, tmp_path):
    clip = light_clip(tmp_path / "long.mp4", 8, "1280x720")
    video = upload_ok(gw, owner, clip, title="Progress")
    path = f"/api/videos/{video['short_id']}/stream-info"
    seen = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        info = gw.get(path, token=owner.access_token)
        assert info.status_code == 200, info.text
        body = info.json()
        if body["ready"]:
            break
        assert body["format"] == "unknown" and body["processing_status"] in ("pending", "processing"), body
        assert 0 <= body["processing_progress"] <= 100, body
        seen.append((body["processing_status"], body["processing_progress"]))
        time.sleep(0.2)
    assert body.get("ready") is True, f"not ready after 180 s: {seen[-5:]}"
    between = [p for s, p in seen if s == "processing" and 0 < p < 100]
    assert between, f"never saw 0 < processing_progress < 100 while processing: {sorted(set(seen))}"
    progress = [p for _, p in seen]
    assert progress == sorted(progress), f"progress went backwards: {progress}"
    assert video_state(video["id"])[:2] == ("completed", 100)


# --- two workers at once ------------------------------------------------------------------------------


def test_two_workers_run_two_jobs_at_once(gw, owner, tmp_path):
    clips = [light_clip(tmp_path / f"pair{i}.mp4", 6, "1280x720") for i in range(2)]
    videos = [upload_ok(gw, owner, clip, title=f"Pair {i}") for i, clip in enumerate(clips)]
    ids = "', '".join(v["id"] for v in videos)

    def both_running():
        rows = psql(f"SELECT lease_owner FROM media.jobs WHERE video_id IN ('{ids}') AND state = 'running'")
        owners = [line for line in rows.splitlines() if line]
        return owners if len(owners) == 2 else None

    owners = wait_for(both_running, 60, 0.1)
    assert owners, f"the two jobs never ran at the same time: {[job_rows(v['id']) for v in videos]}"
    assert owners[0] != owners[1] and owner_pid(owners[0]) != owner_pid(owners[1]), owners
    for video in videos:
        wait_ready(video, timeout=180)


# --- a file that does not decode ------------------------------------------------------------------------


def damaged_copy(source, target, keep: float = 0.35):
    """`source` (a faststart mp4: moov first) cut to `keep` of its size: it probes (moov says
    how long it is) but its media data stops early."""
    data = source.read_bytes()
    target.write_bytes(data[:int(len(data) * keep)])
    return target


def test_a_file_that_probes_but_does_not_decode_fails_and_the_worker_goes_on(gw, owner, tmp_path):
    pids_before = worker_pids()
    good = light_clip(tmp_path / "whole.mp4", 6, "640x360")
    broken = damaged_copy(good, tmp_path / "damaged.mp4")
    listener = EventListener(["media.video.failed"])
    try:
        response = gw.post("/api/videos/upload", token=owner.access_token, data={"title": "Damaged"},
                           files={"file": ("damaged.mp4", broken.read_bytes(), "video/mp4")})
        assert response.status_code == 201, f"the damaged file was refused at upload: {response.status_code} {response.text}"
        video = response.json()
        assert wait_status(video) == "failed", f"the damaged upload ended {video_state(video['id'])}"
        event = wait_for(lambda: about(listener, "media.video.failed", video), 15)
    finally:
        listener.close()
    status, _, message = video_state(video["id"])
    assert message and len(message) <= 200, message
    for noise in ("/", "ffmpeg", "Error", "moov", "mdat", "0x", "\n"):
        assert noise not in message, f"error_message {message!r} holds {noise!r}"
    job = transcode_job(video["id"])
    assert job["state"] == "failed" and job["attempts"] == 1, job
    assert event is not None, "no media.video.failed event"
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token).json()
    assert info["ready"] is False and info["processing_status"] == "failed", info
    assert not output_folder(video["id"]).exists(), "a failed video has an output folder"
    assert temp_job_folders(job["id"]) == []
    assert worker_pids() == pids_before, "a worker exited on the damaged file"

    after = upload_ok(gw, owner, light_clip(tmp_path / "after.mp4", 2, "320x240"), title="After")
    wait_ready(after)


# --- deleted while it transcodes ------------------------------------------------------------------------


def test_a_video_deleted_while_it_transcodes_leaves_no_files(gw, owner, tmp_path):
    video = upload_ok(gw, owner, light_clip(tmp_path / "doomed.mp4", 10, "1280x720"), title="Deleted mid-way")
    job = wait_running(video["id"], timeout=60, progress=True)
    response = gw.delete(f"/api/videos/{video['short_id']}", token=owner.access_token)
    assert response.status_code == 204, response.text
    # The worker notices (its lease renewal finds no row, or its final transaction does) and stops;
    # nothing of the video may appear afterwards, nor stay in temp/jobs.
    ended = wait_for(lambda: job_end_logged(job["id"]), 60, 0.2)
    assert ended, f"no worker logged the end of job {job['id']} within 60 s"
    assert wait_for(lambda: temp_job_folders(job["id"]) == [], 10), \
        f"work folders of a deleted video's job left in temp/jobs: {temp_job_folders(job['id'])}"
    time.sleep(1)
    assert not output_folder(video["id"]).exists(), "the worker wrote the outputs of a deleted video"
    assert psql(f"SELECT count(*) FROM media.videos WHERE id = '{video['id']}'") == "0"
    assert worker_pids() and not [j for j in job_rows(video["id"])]


def test_job_durations_are_counted_in_buckets_up_to_two_hours(hls720):
    """media_job_duration_seconds has buckets for jobs of seconds to hours (the default ones end
    at 10 s), and every finished transcode is counted by the worker that ran it."""
    bounds, counted = set(), 0
    for name in WORKERS:
        text = process(name).get("/metrics").text
        for line in text.splitlines():
            if line.startswith('media_job_duration_seconds_bucket{') and 'kind="transcode"' in line:
                bounds.add(line.split('le="', 1)[1].split('"', 1)[0])
            if line.startswith('media_job_duration_seconds_count{') and 'kind="transcode"' in line:
                counted += int(float(line.rsplit(" ", 1)[1]))
    assert {"1.0", "60.0", "600.0", "3600.0", "7200.0", "+Inf"} <= bounds, sorted(bounds)
    assert "10.0" not in bounds and "0.005" not in bounds, f"the default buckets are still there: {sorted(bounds)}"
    assert counted >= 1, "no worker counted the transcode"
