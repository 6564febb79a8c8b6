"""The streaming routes of a video through the gateway (API §3.5, §4.3, Part A).

- /stream: the progressive file with RFC 9110 ranges (single, open-ended, suffix,
  If-Range, 416 with `Content-Range: bytes */size`), HEAD, `?token=`; 401 without a
  token; 403 while not ready or not visible.
- /stream-info: hls or progressive with renditions and signed URLs when ready;
  {format: unknown, ready: false, processing_status} while not.

The ready videos here have make_ready's fixed layout (uploaded while the media workers are
paused, their jobs marked done); a video that must stay pending is uploaded inside
workers_paused(). test_media_workers*.py covers what the workers really write.
- /hls/master.m3u8: the playlist with its URIs signed; the variant, init and segments
  are then fetched by relative resolution without a token, and ffmpeg plays it.
  Path escapes are 400/404; a progressive-only video has no HLS.
- /thumbnail: image/jpeg, public for a day; 404 when there is none.
"""

import re
import shutil
import subprocess
from urllib.parse import urljoin

import pytest

from auth_client import Api, admin_user, assert_detail, register
from media_client import make_ready, media_root, psql, workers_paused
from media_streaming_support import (
    SECRET_MARKER, SIGNED_PREFIX, gateway_url, parse_signed, raw_request, ready_video, shared_clip, signed_path,
    upload,
)
from support import process

NOT_STREAMABLE = "Video is not available for streaming"
HLS_TYPE = "application/vnd.apple.mpegurl"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A user with a ready HLS video (thumbnail too), and another user."""
    admin = admin_user(process("auth").url)
    with Api(process("auth").url) as auth_api, Api(gateway_url()) as gw:
        owner, other = register(auth_api, admin), register(auth_api, admin)
        # make_ready's fixed layout (360p tree, one 240/800000 rendition): the tests below know its names.
        video, folder = ready_video(gw, owner, shared_clip(tmp_path_factory), title="Streamable", fake=True)
    return {"owner": owner, "other": other, "admin": admin, "video": video, "folder": folder,
            "data": (folder / "video.mp4").read_bytes()}


@pytest.fixture
def clip(tmp_path_factory):
    return shared_clip(tmp_path_factory)


@pytest.fixture(scope="module")
def secrets_outside():
    """Files with a media extension outside any video's folder; never to be served."""
    paths = [media_root() / "secret.txt", media_root() / "secret.m3u8", media_root() / "videos" / "secret.m3u8"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#EXTM3U\n# {SECRET_MARKER}\n")
    yield paths


def stream_path(video) -> str:
    return f"/api/videos/{video['short_id']}/stream"


# --- /stream ---------------------------------------------------------------------


def test_stream_without_range_is_the_whole_file(gw, world):
    data = world["data"]
    response = gw.get(stream_path(world["video"]), token=world["owner"].access_token)
    assert response.status_code == 200, response.text
    assert response.content == data
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["Content-Type"].startswith("video/mp4")
    assert "Content-Range" not in response.headers


def test_another_user_streams_a_completed_video(gw, world):
    response = gw.get(stream_path(world["video"]), token=world["other"].access_token, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206, response.text
    assert response.content == world["data"][:10]


@pytest.mark.parametrize("header, start, end", [
    ("bytes=0-99", 0, 99),
    ("bytes=100-", 100, None),
    ("bytes=-500", -500, None),
    ("bytes=10-10", 10, 10),
    ("bytes=1000-1999", 1000, 1999),
])
def test_stream_single_ranges(gw, world, header, start, end):
    data = world["data"]
    size = len(data)
    first = start if start >= 0 else size + start
    last = size - 1 if end is None else end
    response = gw.get(stream_path(world["video"]), token=world["owner"].access_token, headers={"Range": header})
    assert response.status_code == 206, response.text
    assert response.content == data[first:last + 1]
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert response.headers["Content-Length"] == str(last - first + 1)
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Type"].startswith("video/mp4")


def test_stream_range_past_the_end_is_clamped(gw, world):
    data = world["data"]
    size = len(data)
    response = gw.get(stream_path(world["video"]), token=world["owner"].access_token,
                      headers={"Range": f"bytes={size - 10}-{size + 5000}"})
    assert response.status_code == 206, response.text
    assert response.content == data[-10:]
    assert response.headers["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"


def test_stream_suffix_longer_than_the_file_is_the_whole_file(gw, world):
    data = world["data"]
    response = gw.get(stream_path(world["video"]), token=world["owner"].access_token,
                      headers={"Range": f"bytes=-{len(data) * 2}"})
    assert response.status_code == 206, response.text
    assert response.content == data
    assert response.headers["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"


def test_if_range_with_the_etag_honours_the_range_another_etag_gets_everything(gw, world):
    data = world["data"]
    token = world["owner"].access_token
    etag = gw.get(stream_path(world["video"]), token=token).headers.get("ETag")
    assert etag and not etag.startswith("W/"), f"no strong ETag: {etag!r}"
    matching = gw.get(stream_path(world["video"]), token=token, headers={"Range": "bytes=0-99", "If-Range": etag})
    assert matching.status_code == 206, matching.text
    assert matching.content == data[:100]
    stale = gw.get(stream_path(world["video"]), token=token, headers={"Range": "bytes=0-99", "If-Range": '"not-it"'})
    assert stale.status_code == 200, stale.text
    assert stale.content == data
    assert "Content-Range" not in stale.headers


@pytest.mark.parametrize("offset", [0, 1, 1000])
def test_unsatisfiable_range_is_416(gw, world, offset):
    size = len(world["data"])
    header = f"bytes={size + offset}-"
    response = gw.get(stream_path(world["video"]), token=world["owner"].access_token, headers={"Range": header})
    assert_detail(response, 416, f"Invalid request range (Range: '{header}')")
    assert response.headers["Content-Range"] == f"bytes */{size}"


def test_head_of_the_stream(gw, world):
    size = len(world["data"])
    response = gw.head(stream_path(world["video"]), token=world["owner"].access_token)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Length"] == str(size)
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Type"].startswith("video/mp4")
    assert response.content == b""


def test_stream_takes_the_token_from_the_query(gw, world):
    data = world["data"]
    response = gw.get(f"{stream_path(world['video'])}?token={world['owner'].access_token}", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206, response.text
    assert response.content == data[:100]
    whole = gw.get(f"{stream_path(world['video'])}?token={world['other'].access_token}")
    assert whole.status_code == 200 and whole.content == data


def test_stream_without_a_token_is_401(gw, world):
    response = gw.get(stream_path(world["video"]))
    assert_detail(response, 401, "Not authenticated")
    assert response.headers.get("WWW-Authenticate") == "Bearer"
    bad = gw.get(f"{stream_path(world['video'])}?token=not.a.jwt")
    assert_detail(bad, 401, "Could not validate credentials")


def test_stream_of_a_video_that_is_not_ready_is_403(gw, api, admin, clip, world):
    owner = register(api, admin)
    with workers_paused():
        video = upload(gw, owner, clip, title="Not yet")
        assert_detail(gw.get(stream_path(video), token=owner.access_token), 403, NOT_STREAMABLE)
        assert_detail(gw.get(stream_path(video), token=world["other"].access_token), 403, NOT_STREAMABLE)
        assert_detail(gw.get(stream_path(video), token=admin.access_token), 403, NOT_STREAMABLE)


def test_stream_of_an_unknown_video_is_404(gw, world):
    assert_detail(gw.get("/api/videos/zzzzzzzzzz/stream", token=world["owner"].access_token), 404,
                  "Video not found: zzzzzzzzzz")


# --- stream-info -------------------------------------------------------------------


def test_stream_info_of_a_ready_hls_video(gw, world):
    video = world["video"]
    response = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=world["other"].access_token)
    assert response.status_code == 200, response.text
    info = response.json()
    assert info["format"] == "hls"
    assert info["manifest_url"] == f"/api/videos/{video['short_id']}/hls/master.m3u8"
    assert info["ready"] is True
    assert info["processing_status"] == "completed"
    assert info["renditions"] == [{"height": 240, "bandwidth": 800000}]
    assert info["thumbnail_url"].startswith(SIGNED_PREFIX)
    assert parse_signed(info["thumbnail_url"])["video"] == video["id"]
    thumbnail = raw_request(gateway_url(), info["thumbnail_url"])
    assert thumbnail.status == 200
    assert thumbnail.body == (world["folder"] / "thumbnail.jpg").read_bytes()
    if "signed_manifest_url" in info:
        parts = parse_signed(info["signed_manifest_url"])
        assert parts["video"] == video["id"] and parts["file"] == "master.m3u8"


def test_stream_info_takes_the_token_from_the_query(gw, world):
    video = world["video"]
    response = gw.get(f"/api/videos/{video['short_id']}/stream-info?token={world['owner'].access_token}")
    assert response.status_code == 200, response.text
    assert response.json()["format"] == "hls"


def test_stream_info_of_a_pending_video(gw, api, admin, clip, world):
    owner = register(api, admin)
    with workers_paused():
        video = upload(gw, owner, clip, title="Pending info")
        response = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token)
        assert response.status_code == 200, response.text
        info = response.json()
        assert info["format"] == "unknown" and info["ready"] is False and info["processing_status"] == "pending"
        assert info["processing_progress"] == 0, info
        assert "manifest_url" not in info and "stream_url" not in info
        assert_detail(gw.get(f"/api/videos/{video['short_id']}/stream-info", token=world["other"].access_token),
                      403, "Video is not available")


def test_stream_info_of_an_unknown_video_is_404(gw, world):
    assert_detail(gw.get("/api/videos/zzzzzzzzzz/stream-info", token=world["owner"].access_token), 404,
                  "Video not found: zzzzzzzzzz")


# --- HLS ---------------------------------------------------------------------------


def uri_lines(playlist: str) -> list:
    """The URIs of a playlist: its non-comment lines and the URI="..." attributes of tags."""
    uris = []
    for line in playlist.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            uris += re.findall(r'URI="([^"]*)"', line)
        else:
            uris.append(line)
    return uris


def master(gw, world) -> str:
    response = gw.get(f"/api/videos/{world['video']['short_id']}/hls/master.m3u8", token=world["owner"].access_token)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(HLS_TYPE)
    return response.text


def test_master_playlist_has_signed_uris(gw, world):
    text = master(gw, world)
    assert text.startswith("#EXTM3U")
    uris = uri_lines(text)
    assert uris, text
    for uri in uris:
        assert uri.startswith(SIGNED_PREFIX), f"unsigned URI {uri!r} in\n{text}"
        parts = parse_signed(uri)
        assert parts["video"] == world["video"]["id"]
    assert parse_signed(uris[0])["file"] == "360p/index.m3u8"


def test_hls_takes_the_token_from_the_query(gw, world):
    response = gw.get(f"/api/videos/{world['video']['short_id']}/hls/master.m3u8?token={world['other'].access_token}")
    assert response.status_code == 200, response.text
    assert all(uri.startswith(SIGNED_PREFIX) for uri in uri_lines(response.text))


def test_the_signed_tree_is_followed_by_relative_urls_without_a_token(gw, world):
    folder = world["folder"]
    base = gateway_url()
    variant_url = urljoin(base + "/", uri_lines(master(gw, world))[0])
    with Api(base) as anonymous:
        variant = anonymous.get(variant_url[len(base):])
        assert variant.status_code == 200, variant.text
        assert variant.headers["Content-Type"].startswith(HLS_TYPE)
        assert variant.text == (folder / "360p" / "index.m3u8").read_text()
        uris = uri_lines(variant.text)
        assert "init.mp4" in uris and any(u.endswith(".m4s") for u in uris), variant.text
        for uri in uris:
            url = urljoin(variant_url, uri)
            assert url.startswith(base + SIGNED_PREFIX)
            response = anonymous.get(url[len(base):])
            assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:200]}"
            assert response.content == (folder / "360p" / uri).read_bytes(), url


def ffmpeg_plays(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", url, "-f", "null", "-"],
                          capture_output=True, text=True, timeout=120)


def test_ffmpeg_plays_the_signed_master_playlist(gw, world):
    assert shutil.which("ffmpeg")
    info = gw.get(f"/api/videos/{world['video']['short_id']}/stream-info", token=world["owner"].access_token).json()
    signed = info.get("signed_manifest_url")
    if not signed:
        signed = signed_path(world["video"]["id"], "master.m3u8")
    result = ffmpeg_plays(gateway_url() + signed)
    assert result.returncode == 0, result.stderr[-2000:]


def test_ffmpeg_plays_the_api_master_playlist_with_a_query_token(gw, world):
    url = f"{gateway_url()}/api/videos/{world['video']['short_id']}/hls/master.m3u8?token={world['owner'].access_token}"
    result = ffmpeg_plays(url)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("name", [
    "../../secret.m3u8",
    "../../../secret.m3u8",
    "360p/../../../secret.m3u8",
    "%2e%2e/%2e%2e/secret.m3u8",
    "%2e%2e/%2e%2e/%2e%2e/secret.m3u8",
    "%2E%2E%2F%2E%2E%2Fsecret.m3u8",
    "..%2f..%2fsecret.m3u8",
    "%252e%252e/%252e%252e/secret.m3u8",
    "..%5c..%5csecret.m3u8",
    "..\\..\\secret.m3u8",
    "/etc/passwd",
    "%2fetc%2fpasswd",
])
def test_hls_path_escapes_are_refused(world, secrets_outside, name):
    path = f"/api/videos/{world['video']['short_id']}/hls/{name}"
    for base in (gateway_url(), process("media").url):
        response = raw_request(base, path, headers={"Authorization": f"Bearer {world['owner'].access_token}"})
        assert SECRET_MARKER not in response.text and "root:" not in response.text, f"{base}{path} leaked a file"
        assert response.status in (400, 404), f"{base}{path}: {response.status} {response.text[:300]}"


def test_hls_of_a_not_ready_video_is_403(gw, api, admin, clip):
    owner = register(api, admin)
    with workers_paused():
        video = upload(gw, owner, clip, title="No HLS yet")
        assert_detail(gw.get(f"/api/videos/{video['short_id']}/hls/master.m3u8", token=owner.access_token), 403,
                      NOT_STREAMABLE)


def test_missing_hls_file_is_404(gw, world):
    response = gw.get(f"/api/videos/{world['video']['short_id']}/hls/720p/index.m3u8", token=world["owner"].access_token)
    assert_detail(response, 404, "HLS file not found")


def test_progressive_only_video(gw, api, admin, clip):
    owner = register(api, admin)
    video, folder = ready_video(gw, owner, clip, title="Progressive", hls=False)
    assert_detail(gw.get(f"/api/videos/{video['short_id']}/hls/master.m3u8", token=owner.access_token), 404,
                  "This video uses progressive streaming, not HLS")
    info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token)
    assert info.status_code == 200, info.text
    assert info.json()["format"] == "progressive" and info.json()["ready"] is True
    assert info.json()["stream_url"] == f"/api/videos/{video['short_id']}/stream"
    assert info.json()["processing_status"] == "completed"
    assert "manifest_url" not in info.json()
    stream = gw.get(stream_path(video), token=owner.access_token)
    assert stream.status_code == 200, stream.text
    assert stream.content == (folder / "video.mp4").read_bytes()


# --- thumbnail ----------------------------------------------------------------------


def test_thumbnail(gw, world):
    path = f"/api/videos/{world['video']['short_id']}/thumbnail"
    for response in (gw.get(path, token=world["other"].access_token),
                     gw.get(f"{path}?token={world['owner'].access_token}")):
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("image/jpeg")
        assert response.headers["Cache-Control"].replace(" ", "") == "public,max-age=86400"
        assert response.content == (world["folder"] / "thumbnail.jpg").read_bytes()
        assert response.content[:3] == b"\xff\xd8\xff"


def test_thumbnail_needs_a_token(gw, world):
    assert_detail(gw.get(f"/api/videos/{world['video']['short_id']}/thumbnail"), 401, "Not authenticated")


def test_no_thumbnail(gw, api, admin, clip):
    owner = register(api, admin)
    video, _ = ready_video(gw, owner, clip, title="No thumbnail", thumbnail=False)
    assert_detail(gw.get(f"/api/videos/{video['short_id']}/thumbnail", token=owner.access_token), 404,
                  "Thumbnail not available")
    with workers_paused():
        pending = upload(gw, owner, clip, title="Pending, no thumbnail")
        assert_detail(gw.get(f"/api/videos/{pending['short_id']}/thumbnail", token=owner.access_token), 404,
                      "Thumbnail not available")
    assert_detail(gw.get("/api/videos/zzzzzzzzzz/thumbnail", token=owner.access_token), 404,
                  "Video not found: zzzzzzzzzz")


def test_thumbnail_of_a_pending_video_needs_no_visibility(gw, api, admin, clip, world):
    """The thumbnail route has no visibility check (API §3.5)."""
    owner = register(api, admin)
    with workers_paused():  # make_ready marks the job done: no worker replaces the fake outputs later
        video = upload(gw, owner, clip, title="Pending with thumbnail")
        make_ready(video)
        psql(f"UPDATE media.videos SET processing_status = 'pending' WHERE id = '{video['id']}'")
    response = gw.get(f"/api/videos/{video['short_id']}/thumbnail", token=world["other"].access_token)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("image/jpeg")
