"""Helpers of the media end-to-end tests: small real videos made with ffmpeg,
the three ways to upload them, and a fixture step that makes a video "ready"
(outputs in place, status completed) the way a worker will, for the streaming
tests that must not wait for transcoding."""

import base64
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from support import required_env

VIDEO_KEYS = {
    "id", "short_id", "title", "description", "filename", "thumbnail_filename", "original_filename", "storage_path",
    "file_size_bytes", "duration_seconds", "uploaded_by", "category_id", "view_count", "processing_status",
    "processing_progress", "error_message", "created_at", "uploader_username", "category_name", "category_slug",
}


def media_root() -> Path:
    return Path(required_env("CLIPSET_E2E_STATE_DIR")) / "media"


def make_video(path: Path, seconds: int = 2, size: str = "320x240", fmt: str = None, extra: list = None) -> Path:
    """A real H.264/AAC clip (mp4 unless `fmt`/suffix says otherwise), made with ffmpeg's test sources."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
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
    master playlist when `hls`), and marks the video completed. Returns the folder."""
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
    return folder


def random_id() -> str:
    return str(uuid.uuid4())
