"""Signed media URLs `/media/s/<kid>.<sig>,<expires>/videos/<id>/<file>` (Part A), no token,
straight to media and through the gateway.

- A valid signature serves any file of the video's folder, with ranges; the service's
  own URLs carry the signature this scheme gives.
- A changed signature, another video's id, an unknown key: 403. Past `expires`: 410.
  Not a signed path at all: 404. A file that is not there: 404.
- Inside a correctly signed scope, no spelling of a path escape (`..`, `%2e%2e`,
  `%252e%252e`, `..%2f`, `%2F`, backslash, `//`) reaches a file outside the folder.
"""

import json
import time

import pytest

from auth_client import Api, admin_user, register
from media_client import media_root
from media_streaming_support import (
    SECRET_MARKER, gateway_url, media_url, parse_signed, raw_request, ready_video, shared_clip, signature,
    signed_path, tamper,
)
from support import process


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two ready HLS videos of one user, and secret files outside their folders."""
    admin = admin_user(process("auth").url)
    clip = shared_clip(tmp_path_factory)
    with Api(process("auth").url) as auth_api, Api(gateway_url()) as gw:
        owner = register(auth_api, admin)
        # make_ready's fixed layout: the tests name its files (360p/init.mp4, 360p/seg_000.m4s).
        video, folder = ready_video(gw, owner, clip, title="Signed one", fake=True)
        second, second_folder = ready_video(gw, owner, clip, title="Signed two", fake=True)
        info = gw.get(f"/api/videos/{video['short_id']}/stream-info", token=owner.access_token)
        assert info.status_code == 200, info.text
    secrets = [media_root() / "secret.txt", media_root() / "secret.m3u8", media_root() / "videos" / "secret.m3u8",
               media_root() / "secret.mp4"]
    for path in secrets:
        path.write_text(f"#EXTM3U\n# {SECRET_MARKER}\n")
    return {"owner": owner, "video": video, "folder": folder, "second": second, "second_folder": second_folder,
            "info": info.json()}


@pytest.fixture(params=["media", "gateway"])
def base(request) -> str:
    return media_url() if request.param == "media" else gateway_url()


def assert_error(response, status: int):
    assert response.status == status, f"expected {status}, got {response.status}: {response.text[:300]}"
    assert "json" in response.headers.get("content-type", ""), response.headers
    body = json.loads(response.body)
    assert isinstance(body.get("detail"), str) and body["detail"], body


# --- valid --------------------------------------------------------------------------


def test_the_services_urls_follow_the_documented_scheme(world):
    url = world["info"]["progressive_url"] if "progressive_url" in world["info"] else world["info"]["thumbnail_url"]
    parts = parse_signed(url)
    assert parts["kid"] == "k1"
    assert parts["video"] == world["video"]["id"]
    expires = int(parts["expires"])
    assert expires > time.time() + 3600, "a fresh URL should be good for hours"
    assert f"{parts['kid']}.{parts['sig']}" == signature(world["video"]["id"], expires)


@pytest.mark.parametrize("file", ["video.mp4", "thumbnail.jpg", "master.m3u8", "360p/index.m3u8", "360p/init.mp4",
                                  "360p/seg_000.m4s"])
def test_a_valid_signature_serves_the_videos_files(world, base, file):
    response = raw_request(base, signed_path(world["video"]["id"], file))
    assert response.status == 200, f"{file}: {response.status} {response.text[:300]}"
    assert response.body == (world["folder"] / file).read_bytes()
    assert response.headers["content-length"] == str(len(response.body))
    assert response.headers.get("accept-ranges") == "bytes"


def test_the_services_own_signed_urls_work(world, base):
    for key in ("thumbnail_url", "progressive_url", "signed_manifest_url"):
        url = world["info"].get(key)
        if not url:
            continue
        response = raw_request(base, url)
        assert response.status == 200, f"{key} {url}: {response.status} {response.text[:300]}"
        assert response.body == (world["folder"] / parse_signed(url)["file"]).read_bytes()


def test_percent_escapes_of_ordinary_characters_are_decoded(world, base):
    """The control for the escape tests below: escapes do reach the file lookup, decoded once."""
    response = raw_request(base, signed_path(world["video"]["id"], "%76ideo.mp4"))
    assert response.status == 200, response.text[:300]
    assert response.body == (world["folder"] / "video.mp4").read_bytes()
    nested = raw_request(base, signed_path(world["video"]["id"], "360p/%69nit.mp4"))
    assert nested.status == 200 and nested.body == (world["folder"] / "360p" / "init.mp4").read_bytes()


def test_signed_urls_take_ranges(world, base):
    data = (world["folder"] / "video.mp4").read_bytes()
    size = len(data)
    path = signed_path(world["video"]["id"], "video.mp4")
    for header, first, last in (("bytes=0-99", 0, 99), ("bytes=100-", 100, size - 1), ("bytes=-500", size - 500, size - 1)):
        response = raw_request(base, path, headers={"Range": header})
        assert response.status == 206, f"{header}: {response.status} {response.text[:300]}"
        assert response.body == data[first:last + 1]
        assert response.headers["content-range"] == f"bytes {first}-{last}/{size}"
    past = raw_request(base, path, headers={"Range": f"bytes={size}-"})
    assert_error(past, 416)
    assert past.headers["content-range"] == f"bytes */{size}"


def test_signed_urls_answer_head(world, base):
    path = signed_path(world["video"]["id"], "video.mp4")
    response = raw_request(base, path, method="HEAD")
    assert response.status == 200, response.status
    assert response.headers["content-length"] == str((world["folder"] / "video.mp4").stat().st_size)
    assert response.body == b""


def test_a_url_valid_for_one_more_second_works(world, base):
    path = signed_path(world["video"]["id"], "thumbnail.jpg", expires=int(time.time()) + 2)
    assert raw_request(base, path).status == 200


# --- refused ---------------------------------------------------------------------------


def test_a_tampered_signature_is_403(world, base):
    path = signed_path(world["video"]["id"], "video.mp4")
    assert_error(raw_request(base, tamper(path)), 403)
    assert_error(raw_request(base, tamper(world["info"]["thumbnail_url"])), 403)


def test_another_videos_id_with_this_signature_is_403(world, base):
    video, second = world["video"]["id"], world["second"]["id"]
    path = signed_path(video, "video.mp4")
    assert_error(raw_request(base, path.replace(f"/videos/{video}/", f"/videos/{second}/")), 403)


def test_another_expiry_with_this_signature_is_403(world, base):
    expires = int(time.time()) + 3600
    path = signed_path(world["video"]["id"], "video.mp4", expires=expires)
    assert_error(raw_request(base, path.replace(f",{expires}/", f",{expires + 1}/")), 403)


@pytest.mark.parametrize("token", ["k9.{sig}", "{sig}", "k1.", "k1.AAAA"])
def test_an_unknown_key_or_a_bogus_token_is_403(world, base, token):
    expires = int(time.time()) + 3600
    sig = signature(world["video"]["id"], expires).split(".", 1)[1]
    path = signed_path(world["video"]["id"], "video.mp4", expires=expires, token=token.format(sig=sig))
    assert_error(raw_request(base, path), 403)


def test_a_signature_by_another_secret_is_403(world, base):
    expires = int(time.time()) + 3600
    forged = signature(world["video"]["id"], expires, secret="not-the-secret-at-all-0123456789")
    assert_error(raw_request(base, signed_path(world["video"]["id"], "video.mp4", expires=expires, token=forged)), 403)


@pytest.mark.parametrize("ago", [1, 3600])
def test_an_expired_url_is_410(world, base, ago):
    path = signed_path(world["video"]["id"], "video.mp4", expires=int(time.time()) - ago)
    assert_error(raw_request(base, path), 410)


def test_an_expired_url_with_a_bad_signature_is_403(world, base):
    path = signed_path(world["video"]["id"], "video.mp4", expires=int(time.time()) - 60)
    assert_error(raw_request(base, tamper(path)), 403)


def malformed_paths(video_id: str) -> list:
    expires = int(time.time()) + 3600
    token = signature(video_id, expires)
    return [
        "/media/s/",
        "/media/s/garbage",
        f"/media/s/{token}/videos/{video_id}/video.mp4",  # no expiry
        f"/media/s/{token},/videos/{video_id}/video.mp4",
        f"/media/s/{token},soon/videos/{video_id}/video.mp4",
        f"/media/s/{token},-5/videos/{video_id}/video.mp4",
        f"/media/s/{token},{expires}/clips/{video_id}/video.mp4",
        f"/media/s/{token},{expires}/videos/{video_id}/",
        f"/media/s/{token},{expires}/videos/{video_id}",
        f"/media/s/{token},{expires}/videos/",
    ]


def test_malformed_signed_paths_are_404(world, base):
    for path in malformed_paths(world["video"]["id"]):
        response = raw_request(base, path)
        assert response.status == 404, f"{path}: {response.status} {response.text[:200]}"
        assert_error(response, 404)


def test_a_missing_file_in_a_signed_scope_is_404(world, base):
    for file in ("nothing.mp4", "720p/index.m3u8", "360p/seg_999.m4s", "360p"):
        response = raw_request(base, signed_path(world["video"]["id"], file))
        assert_error(response, 404)


def test_a_deleted_videos_signed_url_is_404(tmp_path_factory, base):
    admin = admin_user(process("auth").url)
    with Api(process("auth").url) as auth_api, Api(gateway_url()) as gw:
        owner = register(auth_api, admin)
        video, _ = ready_video(gw, owner, shared_clip(tmp_path_factory), title="Soon gone")
        path = signed_path(video["id"], "video.mp4")
        assert raw_request(base, path).status == 200
        assert gw.delete(f"/api/videos/{video['short_id']}", token=owner.access_token).status_code == 204
    assert_error(raw_request(base, path), 404)


# --- escapes -----------------------------------------------------------------------------


def escape_files(world) -> list:
    """File parts that try to leave the signed folder, to secret files or the other video."""
    absolute = str(media_root() / "secret.m3u8")
    other = world["second"]["id"]
    return [
        "../secret.m3u8",
        "../../secret.m3u8",
        "../../secret.txt",
        "../../secret.mp4",
        f"../{other}/video.mp4",
        "360p/../../../secret.m3u8",
        "%2e%2e/%2e%2e/secret.m3u8",
        "%2E%2E/%2E%2E/secret.mp4",
        ".%2e/.%2e/secret.m3u8",
        f"%2e%2e/{other}/video.mp4",
        "%252e%252e/%252e%252e/secret.m3u8",
        "%25252e%25252e/%25252e%25252e/secret.m3u8",
        "..%2f..%2fsecret.m3u8",
        "..%2F..%2Fsecret.m3u8",
        f"..%2F{other}%2Fvideo.mp4",
        "%2e%2e%2f%2e%2e%2fsecret.m3u8",
        "360p%2f..%2f..%2f..%2fsecret.m3u8",
        "..\\..\\secret.m3u8",
        "..%5c..%5csecret.m3u8",
        "..%5C..%5Csecret.mp4",
        "/../../secret.m3u8",
        "//../../secret.m3u8",
        "360p//../../../secret.m3u8",
        "/" + absolute.lstrip("/"),
        "/" + absolute,
        "%2f" + absolute.lstrip("/").replace("/", "%2f"),
        "..;/..;/secret.m3u8",
        "..%00/..%00/secret.m3u8",
        "secret.m3u8/../../secret.m3u8",
    ]


def test_path_escapes_within_a_signed_scope_never_leave_the_folder(world, base):
    video = world["video"]["id"]
    other_bytes = (world["second_folder"] / "video.mp4").read_bytes()
    leaks = []
    for file in escape_files(world):
        path = signed_path(video, file)
        response = raw_request(base, path)
        if SECRET_MARKER in response.text or (response.body and response.body == other_bytes):
            leaks.append(f"{file} -> {response.status} served a file outside the folder")
        elif response.status not in (400, 403, 404):
            leaks.append(f"{file} -> {response.status} {response.text[:120]!r}")
        elif "json" not in response.headers.get("content-type", ""):
            leaks.append(f"{file} -> {response.status} without a JSON body: {response.headers.get('content-type')}")
    assert not leaks, "\n".join(leaks)


def test_escapes_in_the_scope_itself_are_refused(world, base):
    """A signature for one video and a path that climbs from it into another."""
    video, other = world["video"]["id"], world["second"]["id"]
    expires = int(time.time()) + 3600
    token = signature(video, expires)
    other_bytes = (world["second_folder"] / "video.mp4").read_bytes()
    for scope in (f"videos/{video}/../{other}", f"videos/{video}/%2e%2e/{other}", f"videos/{video}%2f..%2f{other}",
                  f"videos/../videos/{other}", f"videos/{video}/..%2f{other}"):
        path = f"/media/s/{token},{expires}/{scope}/video.mp4"
        response = raw_request(base, path)
        assert response.body != other_bytes, f"{path} served the other video"
        assert response.status in (400, 403, 404), f"{path}: {response.status}"
