"""Helpers of the media end-to-end tests: small real videos made with ffmpeg,
the three ways to upload them, waiting for the media workers to process a video
(`wait_ready`), holding the workers still so an upload stays pending
(`workers_paused`), and a fixture step that fakes a worker's outputs
(`make_ready`, only while the workers are paused) for the tests that need a
fixed layout (no thumbnail, a `360p` tree with known names).

Two `media worker` processes run beside the service and pick every upload up
within a second or two: a test that needs a video that is not processed yet
uploads it inside `workers_paused()`."""

import base64
import os
import shutil
import subprocess
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

from support import required_env, wait_for

VIDEO_KEYS = {
    "id", "short_id", "title", "description", "filename", "thumbnail_filename", "original_filename", "storage_path",
    "file_size_bytes", "duration_seconds", "uploaded_by", "category_id", "view_count", "processing_status",
    "processing_progress", "error_message", "created_at", "uploader_username", "category_name", "category_slug",
}


def media_root() -> Path:
    return Path(required_env("CLIPSET_E2E_STATE_DIR")) / "media"


def make_video(path: Path, seconds: int = 2, size: str = "320x240", fmt: str = None, extra: list = None,
               source: str = "testsrc2") -> Path:
    """A real H.264/AAC clip (mp4 unless `fmt`/suffix says otherwise), made with ffmpeg's test sources
    (`source`: testsrc2, or testsrc, whose few colours make small files of long clips)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"{source}=size={size}:rate=25:duration={seconds}",
               "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
               "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart"] + (extra or [])
    if fmt:
        command += ["-f", fmt]
    subprocess.run(command + [str(path)], check=True)
    return path


def upload_multipart(api, token, path: Path, title="A video", filename=None, **fields):
    with open(path, "rb") as handle:
        return api.post("/api/videos/upload", token=token, data={"title": title, **fields},
                        files={"file": (filename or path.name, handle, "video/mp4")})


def tus_metadata(**values) -> str:
    return ",".join(f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in values.items())


def tus_upload(api, token, data: bytes, **metadata):
    """Creates a tus upload and sends everything in one PATCH; returns (create response, patch response)."""
    created = api.post("/api/uploads/", token=token, headers={
        "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)), "Upload-Metadata": tus_metadata(**metadata)})
    if created.status_code != 201:
        return created, None
    location = created.headers["Location"]
    patched = api.patch(location, token=token, data=data, headers={
        "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
    return created, patched


def psql(sql: str) -> str:
    """Runs SQL as the superuser on the services' database (clipset_e2e); returns psql's unaligned output."""
    url = required_env("CLIPSET_TEST_POSTGRES_URL").rsplit("/", 1)[0] + "/clipset_e2e"
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                            check=True, capture_output=True, text=True)
    return result.stdout.strip()


def make_ready(video: dict, hls: bool = True, thumbnail: bool = True) -> Path:
    """Puts outputs in videos/<id>/ as a worker would (video.mp4, and an fMP4 HLS tree with a
    master playlist when `hls`), marks the video completed and its jobs done (so no worker
    takes them up afterwards and replaces the folder). Returns the folder.

    Only while the workers are paused (`workers_paused()`), from before the upload: a worker
    would otherwise delete the original this reads and rename its own outputs over these."""
    assert _paused_depth > 0, "make_ready races with the media workers: call it inside workers_paused()"
    folder = media_root() / "videos" / video["id"]
    folder.mkdir(parents=True, exist_ok=True)
    source = media_root() / psql(f"SELECT source_path FROM media.videos WHERE id = '{video['id']}'")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c", "copy", "-movflags", "+faststart",
                    str(folder / "video.mp4")], check=True)
    if hls:
        (folder / "360p").mkdir(exist_ok=True)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c", "copy", "-f", "hls", "-hls_time", "1",
                        "-hls_segment_type", "fmp4", "-hls_playlist_type", "vod",
                        "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", str(folder / "360p" / "seg_%03d.m4s"),
                        str(folder / "360p" / "index.m3u8")], check=True)
        (folder / "master.m3u8").write_text(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=320x240,CODECS=\"avc1.640014,mp4a.40.2\"\n360p/index.m3u8\n")
    thumbnail_name = None
    if thumbnail:
        thumbnail_name = "thumbnail.jpg"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", "1", "-i", str(source), "-frames:v", "1", str(folder / thumbnail_name)],
                       check=True)
    fmt = "hls" if hls else "progressive"
    thumb_sql = f"'{thumbnail_name}'" if thumbnail_name else "NULL"
    psql(f"""UPDATE media.videos SET processing_status = 'completed', output_format = '{fmt}',
             thumbnail_filename = {thumb_sql}, renditions = '[{{"height": 240, "width": 320, "bandwidth": 800000}}]'
             WHERE id = '{video['id']}'""")
    psql(f"""UPDATE media.jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, finished_at = now()
             WHERE video_id = '{video['id']}' AND state IN ('queued', 'running')""")
    return folder


def random_id() -> str:
    return str(uuid.uuid4())


# --- the media workers ---------------------------------------------------------------

WORKERS = ("media-worker-1", "media-worker-2")
READY_TIMEOUT = 120
_paused_depth = 0


def running_jobs() -> list:
    """(job id, video id, lease owner) of the jobs some worker runs now."""
    rows = psql("SELECT id, video_id, coalesce(lease_owner, '') FROM media.jobs WHERE state = 'running' ORDER BY id")
    return [tuple(line.split("|")) for line in rows.splitlines() if line]


@contextmanager
def workers_paused(timeout: float = 120):
    """Both media workers stopped with SIGSTOP inside the block, none of them in the middle of a
    job: an upload made inside stays `pending` with its job `queued` (its message waits in
    RabbitMQ or the stopped worker's socket) until the block ends (SIGCONT, /ready again);
    then the workers process it as usual. Re-entrant. Blocks of a few seconds only: a
    stopped worker misses its AMQP heartbeats after a minute."""
    global _paused_depth
    if _paused_depth:
        _paused_depth += 1
        try:
            yield
        finally:
            _paused_depth -= 1
        return
    from process_control import paused  # requests, /proc: only where workers are paused

    deadline = time.monotonic() + timeout
    while True:
        # A job that runs while its worker is stopped loses its lease to the other worker's
        # sweeper the moment both run again; so pause only between jobs.
        assert wait_for(lambda: not running_jobs(), max(1.0, deadline - time.monotonic()), 0.1), \
            f"jobs still running after {timeout} s: {running_jobs()}"
        stack = ExitStack()
        try:
            for name in WORKERS:
                stack.enter_context(paused(name))
        except BaseException:
            stack.close()
            raise
        if not running_jobs():
            break
        stack.close()  # one claimed a job just before it stopped: let it finish, try again
        assert time.monotonic() < deadline, f"could not pause the workers between jobs: {running_jobs()}"
    _paused_depth = 1
    try:
        with stack:
            yield
    finally:
        _paused_depth = 0


def workers_are_paused() -> bool:
    return _paused_depth > 0


def video_state(video_id: str) -> tuple:
    """(processing_status, processing_progress, error_message) of a video, from its row."""
    row = psql(f"SELECT processing_status, processing_progress, coalesce(error_message, '') FROM media.videos "
               f"WHERE id = '{video_id}'")
    assert row, f"no video {video_id}"
    status, progress, error = row.split("|", 2)
    return status, int(progress), error


def wait_status(video: dict, statuses=("completed", "failed"), timeout: float = READY_TIMEOUT) -> str:
    """Waits until the video's processing_status is one of `statuses`; returns it."""
    last = wait_for(lambda: video_state(video["id"])[0] in statuses and video_state(video["id"])[0], timeout, 0.2)
    jobs = psql(f"SELECT kind, state, attempts, coalesce(lease_owner, ''), coalesce(error, '') FROM media.jobs "
                f"WHERE video_id = '{video['id']}'")
    assert last, f"video {video['id']} is {video_state(video['id'])} after {timeout} s, not in {statuses}; jobs: {jobs}"
    return last


def wait_ready(video: dict, timeout: float = READY_TIMEOUT) -> Path:
    """Waits until a worker has processed `video` (completed); fails at once when it failed.
    Returns its output folder."""
    status = wait_status(video, timeout=timeout)
    assert status == "completed", f"video {video['id']} failed: {video_state(video['id'])[2]!r}"
    return media_root() / "videos" / video["id"]
