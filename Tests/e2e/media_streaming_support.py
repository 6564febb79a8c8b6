"""Helpers of the media video, view, streaming and signed-URL end-to-end tests:
one small clip per session, uploads that must succeed, ready videos, media URLs
signed the way the service signs them, requests whose path goes out byte for
byte (requests/urllib3 would normalise `..` away), and categories that media
learns of through social's events.

Signed media URLs (MediaURLSigner, hmac mode, key id `k1`):

    /media/s/<kid>.<sig>,<expires>/videos/<video-id>/<file>
    sig = base64url_nopad(HMAC-SHA256(key = UTF-8 secret,
                                      "clipset-media-url-v1\\n<kid>\\n<expires>\\n/videos/<video-id>/"))
"""

import base64
import hashlib
import hmac
import http.client
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from auth_client import random_ip, read_secrets
from auth_events import envelope, publish
from media_client import (
    make_ready, make_video, media_root, psql, upload_multipart, wait_ready, workers_are_paused, workers_paused,
)
from support import process, wait_for

KEY_ID = "k1"
SIGNED_PREFIX = "/media/s/"
SIGNED_PATH = re.compile(r"^/media/s/(?P<kid>[A-Za-z0-9_-]+)\.(?P<sig>[A-Za-z0-9_-]+),(?P<expires>\d+)"
                         r"/videos/(?P<video>[0-9a-f-]{36})/(?P<file>.+)$")
# What a file outside a video's folder holds; a response carrying it is an escape.
SECRET_MARKER = "clipset-secret-outside-the-video-folder"

_clips: dict = {}


def shared_clip(tmp_path_factory, seconds: int = 2) -> Path:
    """One small real mp4 per session (ffmpeg takes a moment)."""
    if seconds not in _clips:
        _clips[seconds] = make_video(tmp_path_factory.mktemp("clips") / f"clip{seconds}.mp4", seconds=seconds)
    return _clips[seconds]


def upload(session, user, clip: Path, title: str = "A video", **fields) -> dict:
    """A new (pending) video of `user`; fails the test unless the upload is a 201."""
    response = upload_multipart(session, user.access_token, clip, title=title, **fields)
    assert response.status_code == 201, f"upload failed: {response.status_code} {response.text[:300]}"
    return response.json()


def ready_video(session, user, clip: Path, title: str = "A ready video", hls: bool = True, thumbnail: bool = True,
                fake: bool = False):
    """A completed video of `user`: (video, folder).

    Processed by a real media worker, unless `fake` (or `hls`/`thumbnail` is False, which a
    worker never does): then uploaded while the workers are paused and given make_ready's
    fixed layout (video.mp4, 360p/index.m3u8 + init.mp4 + seg_NNN.m4s, thumbnail.jpg, one
    rendition {240, 800000}), its job marked done."""
    if fake or not hls or not thumbnail:
        with workers_paused():
            video = upload(session, user, clip, title=title)
            folder = make_ready(video, hls=hls, thumbnail=thumbnail)
        return video, folder
    assert not workers_are_paused(), "a real ready_video inside workers_paused() would wait forever"
    video = upload(session, user, clip, title=title)
    folder = wait_ready(video)
    return video, folder


def source_path(video: dict) -> Path:
    """Where the uploaded original of `video` is (absolute)."""
    return media_root() / psql(f"SELECT source_path FROM media.videos WHERE id = '{video['id']}'")


def stored_view_count(video: dict) -> int:
    return int(psql(f"SELECT view_count FROM media.videos WHERE id = '{video['id']}'"))


# --- signed media URLs -----------------------------------------------------


def signing_secret() -> str:
    secret = read_secrets().get("MEDIA_URL_SIGNING_KEY")
    assert secret, "no MEDIA_URL_SIGNING_KEY in secrets.env"
    return secret


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def signature(video_id: str, expires: int, kid: str = KEY_ID, secret: str = None) -> str:
    """The `<kid>.<sig>` token of a video's scope until `expires`."""
    message = f"clipset-media-url-v1\n{kid}\n{expires}\n/videos/{video_id}/"
    code = hmac.new((secret or signing_secret()).encode(), message.encode(), hashlib.sha256).digest()
    return f"{kid}.{b64url(code)}"


def signed_path(video_id: str, file: str, expires: int = None, token: str = None) -> str:
    """`/media/s/<token>,<expires>/videos/<video_id>/<file>`, `file` put in as given (not encoded);
    `expires` defaults to an hour from now, `token` to the right signature."""
    expires = int(time.time()) + 3600 if expires is None else expires
    token = token or signature(video_id, expires)
    return f"{SIGNED_PREFIX}{token},{expires}/videos/{video_id}/{file}"


def parse_signed(path: str) -> dict:
    """The parts of a signed path (kid, sig, expires, video, file); fails when it is not one."""
    match = SIGNED_PATH.match(urlsplit(path).path)
    assert match, f"{path!r} is not a signed media path"
    return match.groupdict()


def tamper(path: str) -> str:
    """`path` with one character of its signature changed."""
    parts = parse_signed(path)
    sig = parts["sig"]
    changed = ("A" if sig[5] != "A" else "B")
    forged = sig[:5] + changed + sig[6:]
    return path.replace(f"{parts['kid']}.{sig},", f"{parts['kid']}.{forged},", 1)


# --- raw requests ------------------------------------------------------------


@dataclass
class Raw:
    status: int
    headers: dict  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def raw_request(base_url: str, path: str, method: str = "GET", headers: dict = None) -> Raw:
    """Sends `path` exactly as given (no dot-segment removal, no re-quoting)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {"X-Forwarded-For": random_ip(), **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Raw(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def media_url() -> str:
    return process("media").url


def gateway_url() -> str:
    return process("gateway").url


# --- categories (media's read model of social's) --------------------------------


def create_category(name: str = None) -> dict:
    """A category media knows, announced as social would (`social.category.created`)."""
    category_id = str(uuid.uuid4())
    name = name or f"Cat {uuid.uuid4().hex[:8]}"
    slug = re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", name.lower())).strip("-")
    category = {"id": category_id, "name": name, "slug": slug}
    publish(envelope("social.category.created", {"category": category}, "social"))
    known = wait_for(lambda: psql(
        f"SELECT count(*) FROM media.categories WHERE category_id = '{category_id}'") == "1", 15)
    assert known, f"media did not learn of category {category_id} within 15 s"
    return category


# --- events ------------------------------------------------------------------


def wait_event(listener, event_type: str, predicate, timeout: float = 10) -> dict:
    """The first `event_type` envelope whose data satisfies `predicate`."""
    found = wait_for(lambda: next((e for e in listener.matching(event_type) if predicate(e["data"])), None), timeout)
    seen = [(e.get("type"), e.get("data")) for e in listener.received]
    assert found is not None, f"no matching {event_type} within {timeout} s; received {seen}"
    return found
