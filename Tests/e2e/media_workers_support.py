"""Helpers of the media worker end-to-end tests (test_media_workers*.py): the rows a worker
writes (videos, jobs) read as JSON, the output folder, ffprobe of files and of URLs
through the gateway, HLS master playlists and WebVTT storyboards parsed, and the
runtime configuration snapshotted and put back.

Everything a test does goes through the gateway as a user would; psql and the media
root are only looked at."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from auth_client import random_ip
from media_client import make_video, media_root, psql, upload_multipart, video_state
from media_streaming_support import gateway_url, raw_request
from support import wait_for

# What PATCH /api/config/ takes (API §3.8), except the storage path.
CONFIG_FIELDS = (
    "max_file_size_bytes", "weekly_upload_limit_bytes", "use_gpu_transcoding", "gpu_device_id", "nvenc_preset",
    "nvenc_cq", "nvenc_rate_control", "nvenc_max_bitrate", "nvenc_buffer_size", "cpu_preset", "cpu_crf",
    "max_resolution", "audio_bitrate", "transcode_preset_mode", "video_output_format",
)


# --- rows -----------------------------------------------------------------------------


def video_row(video_id: str) -> dict:
    text = psql(f"SELECT row_to_json(v) FROM media.videos v WHERE id = '{video_id}'")
    assert text, f"no video row {video_id}"
    return json.loads(text)


def job_rows(video_id: str) -> list:
    """The jobs of a video, oldest first."""
    text = psql(f"SELECT row_to_json(j) FROM media.jobs j WHERE video_id = '{video_id}' ORDER BY created_at, id")
    return [json.loads(line) for line in text.splitlines() if line]


def transcode_job(video_id: str) -> dict:
    jobs = [job for job in job_rows(video_id) if job["kind"] == "transcode"]
    assert len(jobs) == 1, f"expected one transcode job of {video_id}: {jobs}"
    return jobs[0]


def owner_pid(lease_owner: str) -> int:
    """The pid in a lease owner `<host>/<pid>/<random>`."""
    parts = (lease_owner or "").split("/")
    assert len(parts) >= 3 and parts[-2].isdigit(), f"lease_owner {lease_owner!r} is not <host>/<pid>/<rand>"
    return int(parts[-2])


def light_clip(path: Path, seconds: int, size: str) -> Path:
    """A clip of few bytes for its length (testsrc at CRF 40: 20 s of 1080p is about 0.6 MB), so
    its upload stays well inside the gateway's upstream timeout (3 s in the tests) while the
    worker still has every frame to transcode."""
    return make_video(path, seconds=seconds, size=size, source="testsrc", extra=["-crf", "40"])


def upload_ok(gw, user, clip: Path, title: str = "A video", **fields) -> dict:
    response = upload_multipart(gw, user.access_token, clip, title=title, **fields)
    assert response.status_code == 201, f"upload failed: {response.status_code} {response.text[:300]}"
    return response.json()


def wait_running(video_id: str, timeout: float = 60, progress: bool = False) -> dict:
    """The transcode job of a video once a worker runs it (and, with `progress`, once the video
    shows progress above 0); fails after `timeout`."""
    def running():
        jobs = [job for job in job_rows(video_id) if job["kind"] == "transcode" and job["state"] == "running"]
        if not jobs or (progress and video_state(video_id)[1] <= 0):
            return None
        return jobs[0]

    job = wait_for(running, timeout, 0.1)
    assert job, f"the job of {video_id} did not run{' with progress' if progress else ''} within {timeout} s: " \
                f"{job_rows(video_id)} {video_state(video_id)}"
    return job


# --- files ------------------------------------------------------------------------------


def output_folder(video_id: str) -> Path:
    return media_root() / "videos" / video_id


def files_under(folder: Path) -> dict:
    """Relative path -> size of every regular file under `folder`."""
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_job_folders(job_id: str) -> list:
    jobs = media_root() / "temp" / "jobs"
    return sorted(p.name for p in jobs.glob(f"{job_id}*")) if jobs.exists() else []


def ffprobe(target: str, *args) -> dict:
    """ffprobe's JSON (-show_streams -show_format) of a file or URL."""
    command = ["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format", *args]
    if str(target).startswith("http"):
        command += ["-headers", f"X-Forwarded-For: {random_ip()}\r\n"]
    result = subprocess.run(command + [str(target)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"ffprobe {target}: {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def image_size(data: bytes, tmp_path: Path, name: str = "image.jpg") -> tuple:
    path = tmp_path / name
    path.write_bytes(data)
    stream = ffprobe(str(path))["streams"][0]
    return stream["width"], stream["height"]


def top_level_boxes(path: Path) -> list:
    """The types of an MP4's top-level boxes, in order."""
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset:offset + 4], "big")
        kind = data[offset + 4:offset + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[offset + 8:offset + 16], "big")
        elif size == 0:
            size = len(data) - offset
        boxes.append(kind)
        if size < 8:
            break
        offset += size
    return boxes


# --- playlists ----------------------------------------------------------------------------


def attributes(line: str) -> dict:
    """The attributes of an HLS tag line (quoted values unquoted)."""
    body = line.split(":", 1)[1] if ":" in line else ""
    return {key: value.strip('"') for key, value in re.findall(r'([A-Z0-9-]+)=("[^"]*"|[^",]*)', body)}


def master_variants(text: str) -> list:
    """[(attributes, uri)] of the EXT-X-STREAM-INF entries of a master playlist."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    variants = []
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            uri = next((l for l in lines[index + 1:] if not l.startswith("#")), None)
            variants.append((attributes(line), uri))
    return variants


def timestamp(text: str) -> float:
    parts = text.strip().split(":")
    seconds = float(parts[-1])
    if len(parts) > 1:
        seconds += int(parts[-2]) * 60
    if len(parts) > 2:
        seconds += int(parts[-3]) * 3600
    return seconds


def vtt_cues(text: str) -> list:
    """[(start, end, payload)] of a WebVTT file."""
    assert text.lstrip("\ufeff").startswith("WEBVTT"), text[:200]
    cues = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "-->" in line:
            start, end = line.split("-->")
            payload = lines[index + 1].strip() if index + 1 < len(lines) else ""
            cues.append((timestamp(start), timestamp(end.split()[0]), payload))
    return cues


# --- signed URLs through the gateway ------------------------------------------------------------


def signed_get(path: str):
    """GET of a signed media path on the gateway, no token (a fresh client address)."""
    return raw_request(gateway_url(), path)


def ffmpeg_decode(url: str, *args, timeout: float = 300) -> subprocess.CompletedProcess:
    """ffmpeg decoding `url` to nothing (`-f null`), `args` before the output (e.g. -map)."""
    command = ["ffmpeg", "-v", "error", "-nostdin", "-headers", f"X-Forwarded-For: {random_ip()}\r\n", "-i", url,
               *args, "-f", "null", "-"]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def decoded_frames(url: str, stream: str) -> int:
    """How many frames ffmpeg decodes from stream `stream` (e.g. "0:v:1") of `url`, from -progress."""
    command = ["ffmpeg", "-v", "error", "-nostdin", "-headers", f"X-Forwarded-For: {random_ip()}\r\n", "-i", url,
               "-map", stream, "-progress", "pipe:1", "-nostats", "-f", "null", "-"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"ffmpeg {stream} of {url}: {result.stderr[-2000:]}"
    frames = [int(m) for m in re.findall(r"^frame=(\d+)$", result.stdout, re.M)]
    assert frames, f"no progress from ffmpeg: {result.stdout[-500:]} {result.stderr[-500:]}"
    return frames[-1]


# --- runtime configuration ----------------------------------------------------------------------


class ConfigChanger:
    """Changes the shared runtime configuration as the admin; `restore()` puts back every field
    that differs from the snapshot taken first."""

    def __init__(self, gw, admin):
        self.gw, self.admin = gw, admin
        response = gw.get("/api/config/", token=admin.access_token)
        assert response.status_code == 200, response.text
        self.snapshot = {key: response.json()[key] for key in CONFIG_FIELDS if key in response.json()}

    def current(self) -> dict:
        response = self.gw.get("/api/config/", token=self.admin.access_token)
        assert response.status_code == 200, response.text
        return response.json()

    def __call__(self, **fields) -> dict:
        response = self.gw.patch("/api/config/", json=fields, token=self.admin.access_token)
        assert response.status_code == 200, f"PATCH /api/config/ {fields}: {response.status_code} {response.text}"
        return response.json()

    def restore(self) -> None:
        now = self.current()
        changed = {key: value for key, value in self.snapshot.items() if now.get(key) != value}
        if changed:
            self(**changed)


@pytest.fixture
def config(gw, admin):
    """`config(**fields)` PATCHes the runtime configuration; it is put back after the test."""
    changer = ConfigChanger(gw, admin)
    yield changer
    changer.restore()
