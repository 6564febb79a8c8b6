"""tus 1.0 resumable uploads at /api/uploads/, through the gateway (API Part A "Uploads").

- OPTIONS announces the version, the extensions (creation, creation-with-upload,
  termination, expiration, checksum) and the checksum algorithms sha1, sha256.
- A real client (tuspy) uploads part of a file, stops, and a new client resumes from
  the offset HEAD reports; the finishing PATCH names the video (X-Video-Id,
  X-Video-Short-Id), which has the title, description and category of Upload-Metadata
  and an original byte-identical to the source. HEAD still answers after completion.
- A body whose checksum does not match is 460 and moves nothing; DELETE terminates;
  another user's upload reads as missing; an Upload-Length over the file limit or the
  remaining quota is refused before a byte is stored; creation-with-upload works; a
  finished upload that is not a video is a 400 "Invalid video file..." and no video.
- A completion the quota refuses keeps the bytes: HEAD still reports the offset, and an
  empty PATCH at the end finishes it once the quota allows; two PATCHes racing at one
  offset store the bytes once (the loser 409 or 423).
"""

import base64
import hashlib
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from support import wait_for
from auth_client import assert_detail, register
from media_client import make_video, psql, tus_metadata
from media_uploads_support import (  # noqa: F401 (held_workers and limits are fixtures)
    held_workers,
    DEFAULT_MAX_FILE_SIZE, MiB, TUS, assert_nothing_new, folder_files, known_category, limits, over_quota, quota,
    sha256_of, stored_original, too_large, tus_client, tus_create, tus_head, tus_patch, url_path, video_rows,
)

TEMP = "temp/tus"
NOT_FOUND = "Upload not found"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    # Big enough for a few PATCHes of 64 KiB.
    return make_video(tmp_path_factory.mktemp("tus") / "clip.mp4", seconds=3, size="640x480")


def checksum(algorithm: str, data: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def video(gw, user, short_id) -> dict:
    response = gw.get(f"/api/videos/{short_id}", token=user.access_token)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("path", ["/api/uploads/", "/api/uploads"])
def test_options_announces_what_the_server_supports(gw, api, admin, path):
    user = register(api, admin)
    response = gw.options(path, token=user.access_token)
    assert response.status_code in (200, 204), response.text
    assert "1.0.0" in response.headers.get("Tus-Version", "").split(","), dict(response.headers)
    extensions = {e.strip() for e in response.headers.get("Tus-Extension", "").split(",")}
    assert {"creation", "creation-with-upload", "termination", "expiration", "checksum"} <= extensions, extensions
    algorithms = {a.strip() for a in response.headers.get("Tus-Checksum-Algorithm", "").split(",")}
    assert {"sha1", "sha256"} <= algorithms, algorithms


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_an_interrupted_upload_resumes_with_a_new_client_and_becomes_the_video(gw, api, admin, clip):
    user = register(api, admin)
    category = known_category()
    size = clip.stat().st_size
    my_client = tus_client(gw, user)
    uploader = my_client.uploader(file_path=str(clip), chunk_size=64 * 1024, metadata={
        "filename": "clip.mp4", "title": "  Resumed upload  ", "description": "Sent in two goes",
        "category_id": category["id"]})
    stop = size // 2
    uploader.upload(stop_at=stop)
    assert uploader.url, "the client has no upload URL"
    head = tus_head(gw, user, url_path(uploader.url))
    assert head.status_code == 200, head.status_code
    assert head.headers["Upload-Offset"] == str(stop)
    assert head.headers["Upload-Length"] == str(size)
    assert head.headers.get("Tus-Resumable") == "1.0.0"
    assert head.headers.get("Upload-Expires"), "expiration: HEAD should tell when the upload expires"
    assert video_rows(user.id) == 0, "a video exists before the upload finished"

    resumed = tus_client(gw, user).uploader(file_path=str(clip), url=uploader.url, chunk_size=64 * 1024,
                                            upload_checksum=True)
    assert resumed.offset == stop, "the new client did not learn the offset from HEAD"
    resumed.upload()
    finished = resumed.request.response_headers
    assert resumed.request.status_code == 204, resumed.request.response_content
    assert finished.get("upload-offset") == str(size)
    video_id, short_id = finished.get("x-video-id"), finished.get("x-video-short-id")
    assert video_id and short_id, f"the finishing PATCH does not name the video: {finished}"

    body = video(gw, user, short_id)
    assert body["id"] == video_id
    assert body["title"] == "Resumed upload"
    assert body["description"] == "Sent in two goes"
    assert (body["category_id"], body["category_name"], body["category_slug"]) == (
        category["id"], category["name"], category["slug"])
    assert body["processing_status"] == "pending"
    assert body["file_size_bytes"] == size
    assert body["original_filename"] == "clip.mp4"
    assert body["uploader_username"] == user.username
    assert sha256_of(stored_original(video_id)) == sha256_of(clip), "the stored original differs from the source"
    assert quota(gw, user)["used_bytes"] == size

    after = tus_head(gw, user, url_path(uploader.url))
    assert after.status_code == 200, after.status_code
    assert after.headers["Upload-Offset"] == after.headers["Upload-Length"] == str(size)
    assert video_rows(user.id) == 1, "one upload makes one video"


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_an_upload_cut_off_mid_body_keeps_what_arrived_and_resumes(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4", title="Cut off"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    # A PATCH that promises the whole file, sends a third, and hangs up.
    gateway = urlsplit(gw.base_url)
    sent = len(data) // 3
    head = (f"PATCH {location} HTTP/1.1\r\nHost: {gateway.netloc}\r\nAuthorization: Bearer {user.access_token}\r\n"
            f"X-Forwarded-For: {gw.ip}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n").encode()
    with socket.create_connection((gateway.hostname, gateway.port), timeout=10) as connection:
        connection.sendall(head + data[:sent])
        connection.shutdown(socket.SHUT_WR)
        try:
            connection.recv(4096)
        except OSError:
            pass

    def offset():
        response = tus_head(gw, user, location)
        return int(response.headers["Upload-Offset"]) if response.status_code == 200 else None

    # The server finishes the cut PATCH (and records what arrived) a moment after the client left.
    kept = wait_for(lambda: (offset() or 0) > 0 and offset(), 10)
    assert kept and 0 < kept <= sent, f"tus servers keep the bytes of a cut-off PATCH: HEAD reports {offset()}, sent {sent}"
    assert offset() == kept, "the offset still moves"
    uploader = tus_client(gw, user).uploader(file_path=str(clip), url=gw.base_url + location, chunk_size=256 * 1024)
    assert uploader.offset == kept
    uploader.upload()
    short_id = uploader.request.response_headers.get("x-video-short-id")
    assert short_id, uploader.request.response_headers
    assert sha256_of(stored_original(video(gw, user, short_id)["id"])) == sha256_of(clip)


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
@pytest.mark.parametrize("path", ["/api/uploads/", "/api/uploads"])
def test_creation_with_upload_makes_the_video_in_one_request(gw, api, admin, clip, path):
    user = register(api, admin)
    data = clip.read_bytes()
    response = gw.post(path, token=user.access_token, data=data, headers={
        **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": tus_metadata(filename="whole.mp4", title="In one go"),
        "Content-Type": "application/offset+octet-stream"})
    assert response.status_code == 201, response.text
    assert response.headers.get("Location", "").startswith("/api/uploads/"), dict(response.headers)
    assert response.headers.get("Upload-Offset") == str(len(data))
    short_id = response.headers.get("X-Video-Short-Id")
    assert short_id, f"the creating request finished the upload but names no video: {dict(response.headers)}"
    body = video(gw, user, short_id)
    assert body["id"] == response.headers.get("X-Video-Id")
    assert body["title"] == "In one go"
    assert body["description"] is None
    assert body["category_id"] is None
    assert sha256_of(stored_original(body["id"])) == sha256_of(clip)


def test_creation_with_part_of_the_body_then_patch(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    half = len(data) // 2
    response = gw.post("/api/uploads/", token=user.access_token, data=data[:half], headers={
        **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": tus_metadata(filename="clip.mp4"),
        "Content-Type": "application/offset+octet-stream", "Upload-Checksum": checksum("sha1", data[:half])})
    assert response.status_code == 201, response.text
    assert response.headers.get("Upload-Offset") == str(half)
    assert "X-Video-Id" not in response.headers
    location = response.headers["Location"]
    patched = tus_patch(gw, user, location, half, data[half:])
    assert patched.status_code == 204, patched.text
    short_id = patched.headers.get("X-Video-Short-Id")
    assert short_id, dict(patched.headers)
    assert video(gw, user, short_id)["title"] == "clip", "without a title the file name's stem is the title"


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_a_wrong_checksum_is_460_and_moves_nothing(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4", title="Checked"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    part = data[:100_000]
    wrong = tus_patch(gw, user, location, 0, part, **{"Upload-Checksum": checksum("sha256", b"something else")})
    assert_detail(wrong, 460, "Upload-Checksum does not match the body")
    head = tus_head(gw, user, location)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "0", (head.status_code, dict(head.headers))

    right = tus_patch(gw, user, location, 0, part, **{"Upload-Checksum": checksum("sha256", part)})
    assert right.status_code == 204, right.text
    assert right.headers["Upload-Offset"] == str(len(part))
    rest = tus_patch(gw, user, location, len(part), data[len(part):],
                     **{"Upload-Checksum": checksum("sha1", data[len(part):])})
    assert rest.status_code == 204, rest.text
    short_id = rest.headers.get("X-Video-Short-Id")
    assert short_id, dict(rest.headers)
    assert sha256_of(stored_original(video(gw, user, short_id)["id"])) == sha256_of(clip)


def test_an_unknown_checksum_algorithm_is_400(gw, api, admin):
    user = register(api, admin)
    created = tus_create(gw, user, 10, tus_metadata(filename="clip.mp4"))
    assert created.status_code == 201, created.text
    response = tus_patch(gw, user, created.headers["Location"], 0, b"0123456789",
                         **{"Upload-Checksum": "md5 " + base64.b64encode(hashlib.md5(b"0123456789").digest()).decode()})
    assert_detail(response, 400, "Unsupported checksum algorithm 'md5'; supported: sha1,sha256")


def test_a_wrong_offset_is_409(gw, api, admin):
    user = register(api, admin)
    created = tus_create(gw, user, 100, tus_metadata(filename="clip.mp4"))
    assert created.status_code == 201, created.text
    response = tus_patch(gw, user, created.headers["Location"], 10, b"x" * 10)
    assert_detail(response, 409, "Upload-Offset does not match the upload's offset 0")


def test_termination_removes_the_upload(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert tus_patch(gw, user, location, 0, data[:50_000]).status_code == 204
    deleted = gw.delete(location, token=user.access_token, headers=TUS)
    assert deleted.status_code == 204, deleted.text
    assert tus_head(gw, user, location).status_code in (404, 410)
    after = tus_patch(gw, user, location, 50_000, data[50_000:])
    assert after.status_code in (404, 410), after.text
    assert after.json().get("detail") in (NOT_FOUND, "Upload expired"), after.text
    assert video_rows(user.id) == 0
    upload_id = location.rsplit("/", 1)[1]
    assert not [name for name in folder_files(TEMP) if upload_id in name], "the upload's files are still on disk"


def test_another_users_upload_reads_as_missing(gw, api, admin, clip):
    owner, other = register(api, admin), register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, owner, len(data), tus_metadata(filename="clip.mp4", title="Mine"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert tus_patch(gw, owner, location, 0, data[:40_000]).status_code == 204

    assert tus_head(gw, other, location).status_code == 404
    assert_detail(tus_patch(gw, other, location, 40_000, data[40_000:]), 404, NOT_FOUND)
    assert_detail(gw.delete(location, token=other.access_token, headers=TUS), 404, NOT_FOUND)

    head = tus_head(gw, owner, location)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "40000", "another user changed the upload"
    finished = tus_patch(gw, owner, location, 40_000, data[40_000:])
    assert finished.status_code == 204, finished.text
    assert video(gw, owner, finished.headers["X-Video-Short-Id"])["uploaded_by"] == owner.id


@pytest.mark.parametrize("bad", ["not-a-uuid", "4b0a8a1e-7f7e-4a39-9d55-0d8f3c1e2b6a"])
def test_an_unknown_upload_is_404(gw, api, admin, bad):
    user = register(api, admin)
    assert tus_head(gw, user, f"/api/uploads/{bad}").status_code == 404
    assert_detail(tus_patch(gw, user, f"/api/uploads/{bad}", 0, b"abc"), 404, NOT_FOUND)
    assert_detail(gw.delete(f"/api/uploads/{bad}", token=user.access_token, headers=TUS), 404, NOT_FOUND)


def test_an_upload_length_over_the_file_limit_is_refused_before_any_byte(gw, api, admin):
    user = register(api, admin)
    limit = gw.get("/api/config/", token=admin.access_token).json()["max_file_size_bytes"]
    assert limit == DEFAULT_MAX_FILE_SIZE, "the configuration was left changed by another test"
    before = folder_files(TEMP)
    response = tus_create(gw, user, limit + 1, tus_metadata(filename="huge.mp4"))
    assert_detail(response, 400, too_large(limit))
    assert_detail(response, 400, "File too large. Maximum size: 2.00 GB")
    assert "Location" not in response.headers
    assert_nothing_new(TEMP, before)


def test_an_upload_length_over_the_remaining_quota_is_403(gw, api, admin, clip, limits):
    user = register(api, admin)
    first = tus_create(gw, user, clip.stat().st_size, tus_metadata(filename="clip.mp4"))
    assert first.status_code == 201, first.text
    assert tus_patch(gw, user, first.headers["Location"], 0, clip.read_bytes()).status_code == 204
    used = clip.stat().st_size
    limits(weekly_upload_limit_bytes=MiB)
    remaining = MiB - used
    before = folder_files(TEMP)
    response = tus_create(gw, user, remaining + 1, tus_metadata(filename="more.mp4"))
    assert_detail(response, 403, over_quota(used, MiB, remaining + 1))
    assert "Location" not in response.headers
    assert_nothing_new(TEMP, before)
    fits = tus_create(gw, user, remaining, tus_metadata(filename="more.mp4"))
    assert fits.status_code == 201, f"an upload of exactly the remaining quota is refused: {fits.text}"
    assert gw.delete(fits.headers["Location"], token=user.access_token, headers=TUS).status_code == 204


def test_a_finished_upload_that_is_not_a_video_is_400_and_makes_no_video(gw, api, admin):
    user = register(api, admin)
    text = b"Just some notes, certainly not a video.\n" * 500
    created = tus_create(gw, user, len(text), tus_metadata(filename="notes.mp4", title="Notes"))
    assert created.status_code == 201, created.text
    patched = tus_patch(gw, user, created.headers["Location"], 0, text)
    assert patched.status_code == 400, patched.text
    detail = patched.json().get("detail")
    assert isinstance(detail, str) and detail.startswith("Invalid video file"), patched.text
    assert "X-Video-Id" not in patched.headers
    assert video_rows(user.id) == 0
    assert gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()["total"] == 0
    assert quota(gw, user)["used_bytes"] == 0, "a refused upload was charged"


def test_requests_without_tus_resumable_are_412(gw, api, admin):
    user = register(api, admin)
    response = gw.post("/api/uploads/", token=user.access_token, headers={"Upload-Length": "10"})
    assert_detail(response, 412, "Tus-Resumable must be 1.0.0")
    assert response.headers.get("Tus-Version") == "1.0.0"


def test_anonymous_creation_is_401(gw):
    response = gw.post("/api/uploads/", headers={**TUS, "Upload-Length": "10"})
    assert_detail(response, 401, "Not authenticated")


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_a_completion_refused_by_the_quota_is_retried_once_it_fits(gw, api, admin, clip, limits):
    """The quota is checked again when the last byte arrives; the bytes are kept, so the
    client can finish (an empty PATCH at the final offset) once the quota allows it."""
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4", title="Waits for quota"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    limits(weekly_upload_limit_bytes=MiB)
    psql(f"INSERT INTO media.quotas (user_id, weekly_upload_bytes, last_upload_reset) VALUES ('{user.id}', {MiB}, now()) "
         f"ON CONFLICT (user_id) DO UPDATE SET weekly_upload_bytes = {MiB}, last_upload_reset = now()")
    refused = tus_patch(gw, user, location, 0, data)
    assert_detail(refused, 403, over_quota(MiB, MiB, len(data)))
    assert video_rows(user.id) == 0

    psql(f"UPDATE media.quotas SET weekly_upload_bytes = 0 WHERE user_id = '{user.id}'")
    retried = tus_patch(gw, user, location, len(data), b"")
    assert retried.status_code == 204, retried.text
    short_id = retried.headers.get("X-Video-Short-Id")
    assert short_id, dict(retried.headers)
    assert sha256_of(stored_original(video(gw, user, short_id)["id"])) == sha256_of(clip)
    assert quota(gw, user)["used_bytes"] == len(data)


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_two_simultaneous_patches_at_one_offset_store_the_bytes_once(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4", title="Raced"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    part = data[:len(data) // 2]
    sessions = [gw.elsewhere(gw.ip) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda s: tus_patch(s, user, location, 0, part), sessions))
    for session in sessions:
        session.close()
    codes = sorted(a.status_code for a in answers)
    assert codes in ([204, 409], [204, 423]), [(a.status_code, a.text[:200]) for a in answers]
    assert tus_head(gw, user, location).headers["Upload-Offset"] == str(len(part))
    rest = tus_patch(gw, user, location, len(part), data[len(part):])
    assert rest.status_code == 204, rest.text
    assert sha256_of(stored_original(video(gw, user, rest.headers["X-Video-Short-Id"])["id"])) == sha256_of(clip)


def test_head_reports_the_offset_of_an_upload_whose_completion_was_refused(gw, api, admin, clip, limits):
    """tus: HEAD on an existing upload always answers its Upload-Offset (a 403/404/410 without
    it tells a client the upload is gone), also when converting it is refused for now."""
    user = register(api, admin)
    data = clip.read_bytes()
    created = tus_create(gw, user, len(data), tus_metadata(filename="clip.mp4", title="Waits for quota"))
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    limits(weekly_upload_limit_bytes=MiB)
    psql(f"INSERT INTO media.quotas (user_id, weekly_upload_bytes, last_upload_reset) VALUES ('{user.id}', {MiB}, now()) "
         f"ON CONFLICT (user_id) DO UPDATE SET weekly_upload_bytes = {MiB}, last_upload_reset = now()")
    assert tus_patch(gw, user, location, 0, data).status_code == 403
    head = tus_head(gw, user, location)
    assert head.status_code in (200, 204) and head.headers.get("Upload-Offset") == str(len(data)), \
        f"HEAD answered {head.status_code} with Upload-Offset {head.headers.get('Upload-Offset')!r}"
    assert head.headers.get("Upload-Length") == str(len(data))
