"""Helpers of the upload and quota end-to-end tests (multipart, chunked, tus, quota):
hashes of stored originals, what the temporary folders hold, a category that media
learnt from a `social.category.created` event, the runtime limits (always restored),
the media workers held still (`held_workers`) for tests that look at a pending video's
stored original, and a tus client (tuspy) on the gateway."""

import hashlib
import re
import uuid
from pathlib import Path

import pytest

from auth_client import Api, User, unique_name
from media_client import media_root, psql, workers_paused
from support import wait_for

MiB = 1 << 20
GiB = 1 << 30
DEFAULT_MAX_FILE_SIZE = 2 * GiB
DEFAULT_WEEKLY_LIMIT = 4 * GiB
ADMIN_ONLY = "Not enough permissions. Admin access required."
ACCEPTED_FORMATS = "Invalid file type. Accepted formats: mp4, mov, avi, mkv, webm, hevc, h265"
STORED_FILENAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_\d{14}\.(\w+)$")
QUOTA_MESSAGE = re.compile(
    r"^Upload would exceed weekly quota\. Used: \d+\.\d{2} GB / \d+\.\d{2} GB\. File size: \d+\.\d{2} GB$")
QUOTA_KEYS = {"used_bytes", "limit_bytes", "remaining_bytes", "percentage_used", "can_upload", "max_file_size_bytes"}


def gigabytes(size: int) -> str:
    """A size as the service's messages write it: GB of 1024³ bytes, two decimals."""
    return f"{size / GiB:.2f}"


def too_large(max_size: int) -> str:
    return f"File too large. Maximum size: {gigabytes(max_size)} GB"


def over_quota(used: int, limit: int, size: int) -> str:
    return (f"Upload would exceed weekly quota. Used: {gigabytes(used)} GB / {gigabytes(limit)} GB. "
            f"File size: {gigabytes(size)} GB")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stored_original(video_id: str) -> Path:
    """Where media keeps the uploaded original of a video (its `source_path` under the media root)."""
    source = psql(f"SELECT source_path FROM media.videos WHERE id = '{video_id}'")
    assert source, f"video {video_id} has no row / source_path"
    return media_root() / source


def video_rows(user_id: str) -> int:
    return int(psql(f"SELECT count(*) FROM media.videos WHERE uploaded_by = '{user_id}'"))


def folder_files(relative: str) -> set:
    """The names of the files under `$MEDIA_ROOT/<relative>` now (recursively)."""
    folder = media_root() / relative
    if not folder.exists():
        return set()
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def assert_nothing_new(relative: str, before: set, timeout: float = 3) -> None:
    """No file appeared (and stayed) under `$MEDIA_ROOT/<relative>` since `before` was taken."""
    left = wait_for(lambda: not (folder_files(relative) - before), timeout)
    assert left, f"files left in {relative}: {sorted(folder_files(relative) - before)}"


def quota(gw: Api, user: User) -> dict:
    response = gw.get("/api/videos/quota/me", token=user.access_token)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def held_workers():
    """The media workers paused for the test: its uploads stay `pending` and their originals
    stay where the upload put them (a worker deletes the original once it has processed it)."""
    with workers_paused():
        yield


# --- categories, as media learns them from social's events -----------------


def known_category(name: str = None) -> dict:
    """A category that media knows: published as `social.category.created` on
    `clipset.events` (as social would) and waited for until media has recorded it."""
    from auth_events import envelope, publish  # pika only where needed

    name = name or unique_name("Cat")
    category = {"id": str(uuid.uuid4()), "name": name, "slug": name.lower().replace("_", "-")}
    publish(envelope("social.category.created", {"category": category}, producer="social"))
    seen = wait_for(lambda: psql(
        f"SELECT name FROM media.categories WHERE category_id = '{category['id']}'") == name, 15)
    assert seen, f"media did not record category {category} within 15 s"
    return category


# --- runtime limits ------------------------------------------------------------


@pytest.fixture
def limits(gw, admin):
    """`limits(max_file_size_bytes=..., weekly_upload_limit_bytes=...)` changes the shared
    configuration; the defaults (2 GiB, 4 GiB) are put back after the test whatever happens."""
    changed = []

    def change(**fields):
        changed.append(fields)
        response = gw.patch("/api/config/", json=fields, token=admin.access_token)
        assert response.status_code == 200, response.text
        return response.json()

    yield change
    if changed:
        response = gw.patch("/api/config/", json={
            "max_file_size_bytes": DEFAULT_MAX_FILE_SIZE, "weekly_upload_limit_bytes": DEFAULT_WEEKLY_LIMIT,
        }, token=admin.access_token)
        assert response.status_code == 200, response.text


# --- tus -----------------------------------------------------------------------

TUS = {"Tus-Resumable": "1.0.0"}


def tus_client(gw: Api, user: User, path: str = "/api/uploads/"):
    """A tuspy client on the gateway, signed in as `user`, from the session's address."""
    from tusclient import client

    return client.TusClient(gw.base_url + path,
                            headers={"Authorization": f"Bearer {user.access_token}", "X-Forwarded-For": gw.ip})


def tus_create(gw: Api, user: User, length: int, metadata: str = "", path: str = "/api/uploads/", **headers):
    return gw.post(path, token=user.access_token, headers={
        **TUS, "Upload-Length": str(length), **({"Upload-Metadata": metadata} if metadata else {}), **headers})


def tus_patch(gw: Api, user: User, location: str, offset: int, data: bytes, **headers):
    return gw.patch(location, token=user.access_token, data=data, headers={
        **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **headers})


def tus_head(gw: Api, user: User, location: str):
    return gw.head(location, token=user.access_token, headers=TUS)


def url_path(url: str) -> str:
    """The path of an absolute upload URL (sessions take paths)."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[1] if "://" in url else url
