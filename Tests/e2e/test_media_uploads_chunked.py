"""The chunked upload made resumable, through the gateway (API Part A "Uploads", §3.5, §4.1).

- init answers the session (`upload_id`, what it holds); chunks are 204; `GET
  /api/videos/upload/{id}` lists the received indices and bytes, so a client can resume;
  a chunk sent again replaces the old one.
- complete with a chunk missing is a 400 naming the missing indices and keeps the
  session; once the chunk is sent, complete answers 200 with the pending Video, whose
  stored original is byte-identical to the source, and the session is gone.
- A declared total_chunks counts for complete; a declared total_size over the file
  limit is refused at init.
- Sessions belong to their user (another's reads as missing), malformed ids are 404,
  a bad chunk_index 422, and an expired session 404.
- A chunk past the declared count, chunks that miss the declared size, or joined chunks
  over the file limit are 400s; two simultaneous completes make one video, charged once.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from auth_client import UUID, assert_datetime, assert_detail, assert_validation_error, register
from media_client import VIDEO_KEYS, make_video, psql
from media_uploads_support import (  # noqa: F401 (held_workers and limits are fixtures)
    held_workers,
    DEFAULT_MAX_FILE_SIZE, STORED_FILENAME, MiB, limits, quota, sha256_of, stored_original, too_large,
)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("chunked") / "clip.mp4")


def split(data: bytes, parts: int) -> list:
    size = -(-len(data) // parts)
    return [data[i * size:(i + 1) * size] for i in range(parts)]


def init(gw, user, **body):
    response = gw.post("/api/videos/upload/init", token=user.access_token, **({"json": body} if body else {}))
    assert response.status_code == 200, response.text
    return response.json()


def send_chunk(gw, user, upload_id, index, data: bytes):
    return gw.post("/api/videos/upload/chunk", token=user.access_token,
                   data={"upload_id": upload_id, "chunk_index": str(index)},
                   files={"file": ("blob", data, "application/octet-stream")})


def status(gw, user, upload_id):
    return gw.get(f"/api/videos/upload/{upload_id}", token=user.access_token)


def complete(gw, user, upload_id, title="Chunked", filename="clip.mp4", **fields):
    return gw.post("/api/videos/upload/complete", token=user.access_token,
                   json={"upload_id": upload_id, "title": title, "filename": filename, **fields})


def not_found(upload_id) -> str:
    return f"Upload session not found: {upload_id}"


def test_init_opens_an_empty_session(gw, api, admin):
    user = register(api, admin)
    session = init(gw, user)
    assert UUID.match(session["upload_id"]), session
    assert session.get("received_chunks") == [] and session.get("received_bytes") == 0, session
    assert_datetime(session.get("expires_at"), "expires_at")
    again = status(gw, user, session["upload_id"])
    assert again.status_code == 200, again.text
    assert again.json()["upload_id"] == session["upload_id"]
    assert again.json()["received_chunks"] == []


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_a_chunked_upload_resumes_and_becomes_an_identical_video(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    parts = split(data, 3)
    upload_id = init(gw, user)["upload_id"]

    first = send_chunk(gw, user, upload_id, 0, b"garbage that will be replaced")
    assert first.status_code == 204, first.text
    assert first.content == b""
    assert send_chunk(gw, user, upload_id, 2, parts[2]).status_code == 204
    held = status(gw, user, upload_id)
    assert held.status_code == 200, held.text
    assert held.json()["received_chunks"] == [0, 2]
    assert held.json()["received_bytes"] == len(b"garbage that will be replaced") + len(parts[2])

    replaced = send_chunk(gw, user, upload_id, 0, parts[0])
    assert replaced.status_code == 204, replaced.text
    held = status(gw, user, upload_id).json()
    assert held["received_chunks"] == [0, 2]
    assert held["received_bytes"] == len(parts[0]) + len(parts[2]), "a chunk sent again must replace the old one"

    assert_detail(complete(gw, user, upload_id), 400, "Missing chunks: 1")
    held = status(gw, user, upload_id)
    assert held.status_code == 200, f"a refused complete must keep the session: {held.text}"
    assert held.json()["received_chunks"] == [0, 2]
    assert quota(gw, user)["used_bytes"] == 0, "a refused complete was charged"

    assert send_chunk(gw, user, upload_id, 1, parts[1]).status_code == 204
    held = status(gw, user, upload_id).json()
    assert held["received_chunks"] == [0, 1, 2]
    assert held["received_bytes"] == len(data)

    response = complete(gw, user, upload_id, title="  Joined  ", description="  in three parts ")
    assert response.status_code == 200, response.text
    video = response.json()
    assert set(video) == VIDEO_KEYS, sorted(set(video) ^ VIDEO_KEYS)
    assert video["title"] == "Joined"
    assert video["description"] == "in three parts"
    assert video["processing_status"] == "pending"
    assert video["file_size_bytes"] == len(data)
    assert video["original_filename"] == "clip.mp4"
    assert video["uploader_username"] == user.username
    assert STORED_FILENAME.match(video["filename"]), video["filename"]
    assert sha256_of(stored_original(video["id"])) == sha256_of(clip), "the joined original differs from the source"
    assert quota(gw, user)["used_bytes"] == len(data)

    assert_detail(status(gw, user, upload_id), 404, not_found(upload_id))
    assert_detail(complete(gw, user, upload_id), 404, not_found(upload_id))
    assert_detail(send_chunk(gw, user, upload_id, 0, parts[0]), 404, not_found(upload_id))
    listing = gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()
    assert [v["id"] for v in listing["videos"]] == [video["id"]], "one complete makes one video"


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_a_declared_chunk_count_names_the_missing_last_chunk(gw, api, admin, clip):
    user = register(api, admin)
    parts = split(clip.read_bytes(), 3)
    session = init(gw, user, total_chunks=3)
    upload_id = session["upload_id"]
    assert session.get("total_chunks") == 3, session
    for index in (0, 1):
        assert send_chunk(gw, user, upload_id, index, parts[index]).status_code == 204
    assert_detail(complete(gw, user, upload_id), 400, "Missing chunks: 2")
    assert send_chunk(gw, user, upload_id, 2, parts[2]).status_code == 204
    response = complete(gw, user, upload_id)
    assert response.status_code == 200, response.text
    assert sha256_of(stored_original(response.json()["id"])) == sha256_of(clip)


def test_several_missing_chunks_are_all_named(gw, api, admin, clip):
    user = register(api, admin)
    upload_id = init(gw, user, total_chunks=5)["upload_id"]
    assert send_chunk(gw, user, upload_id, 2, clip.read_bytes()[:1000]).status_code == 204
    assert_detail(complete(gw, user, upload_id), 400, "Missing chunks: 0, 1, 3, 4")


def test_a_complete_without_any_chunk_is_400(gw, api, admin):
    user = register(api, admin)
    upload_id = init(gw, user)["upload_id"]
    assert_detail(complete(gw, user, upload_id), 400, "No chunks uploaded")


def test_a_declared_size_over_the_file_limit_is_refused_at_init(gw, api, admin):
    user = register(api, admin)
    limit = gw.get("/api/config/", token=admin.access_token).json()["max_file_size_bytes"]
    assert limit == DEFAULT_MAX_FILE_SIZE, "the configuration was left changed by another test"
    response = gw.post("/api/videos/upload/init", token=user.access_token, json={"total_size": limit + 1})
    assert_detail(response, 400, too_large(limit))
    assert_detail(response, 400, "File too large. Maximum size: 2.00 GB")
    ok = gw.post("/api/videos/upload/init", token=user.access_token, json={"total_size": limit})
    assert ok.status_code == 200, ok.text
    assert ok.json()["total_size"] == limit


def test_another_users_session_reads_as_missing(gw, api, admin, clip):
    owner, other = register(api, admin), register(api, admin)
    data = clip.read_bytes()
    upload_id = init(gw, owner)["upload_id"]
    assert send_chunk(gw, owner, upload_id, 0, data).status_code == 204

    assert_detail(send_chunk(gw, other, upload_id, 1, b"intruder"), 404, not_found(upload_id))
    assert_detail(status(gw, other, upload_id), 404, not_found(upload_id))
    assert_detail(complete(gw, other, upload_id), 404, not_found(upload_id))

    held = status(gw, owner, upload_id).json()
    assert held["received_chunks"] == [0] and held["received_bytes"] == len(data), "another user changed the session"
    response = complete(gw, owner, upload_id)
    assert response.status_code == 200, response.text
    assert response.json()["uploaded_by"] == owner.id
    assert quota(gw, other)["used_bytes"] == 0


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345"])
def test_a_malformed_upload_id_is_404(gw, api, admin, bad_id):
    user = register(api, admin)
    assert_detail(send_chunk(gw, user, bad_id, 0, b"bytes"), 404, not_found(bad_id))
    assert_detail(status(gw, user, bad_id), 404, not_found(bad_id))
    assert_detail(complete(gw, user, bad_id), 404, not_found(bad_id))


def test_an_unknown_upload_id_is_404(gw, api, admin):
    user = register(api, admin)
    unknown = "4b0a8a1e-7f7e-4a39-9d55-0d8f3c1e2b6a"
    assert_detail(send_chunk(gw, user, unknown, 0, b"bytes"), 404, not_found(unknown))
    assert_detail(status(gw, user, unknown), 404, not_found(unknown))
    assert_detail(complete(gw, user, unknown), 404, not_found(unknown))


def test_a_non_integer_chunk_index_is_422(gw, api, admin):
    user = register(api, admin)
    upload_id = init(gw, user)["upload_id"]
    response = send_chunk(gw, user, upload_id, "x", b"bytes")
    assert_validation_error(response, ["body", "chunk_index"])
    assert status(gw, user, upload_id).json()["received_chunks"] == []


def test_missing_chunk_fields_are_422(gw, api, admin):
    user = register(api, admin)
    upload_id = init(gw, user)["upload_id"]
    response = gw.post("/api/videos/upload/chunk", token=user.access_token,
                       files={"upload_id": (None, upload_id), "chunk_index": (None, "0")})
    assert_validation_error(response, ["body", "file"])
    response = gw.post("/api/videos/upload/chunk", token=user.access_token,
                       files={"file": ("blob", b"bytes", "application/octet-stream")})
    errors = assert_validation_error(response, ["body", "upload_id"])
    assert ["body", "chunk_index"] in [e["loc"] for e in errors]


def test_complete_validates_its_body(gw, api, admin):
    user = register(api, admin)
    upload_id = init(gw, user)["upload_id"]
    assert_validation_error(gw.post("/api/videos/upload/complete", token=user.access_token,
                                    json={"upload_id": upload_id, "filename": "clip.mp4"}), ["body", "title"])
    assert_validation_error(complete(gw, user, upload_id, title="x" * 201), ["body", "title"])
    assert_validation_error(gw.post("/api/videos/upload/complete", token=user.access_token,
                                    json={"upload_id": upload_id, "title": "T"}), ["body", "filename"])


def test_an_expired_session_is_404(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    upload_id = init(gw, user)["upload_id"]
    assert send_chunk(gw, user, upload_id, 0, data).status_code == 204
    psql(f"UPDATE media.upload_sessions SET expires_at = now() - interval '1 minute' WHERE id = '{upload_id}'")
    assert_detail(send_chunk(gw, user, upload_id, 1, b"late"), 404, not_found(upload_id))
    assert_detail(complete(gw, user, upload_id), 404, not_found(upload_id))
    assert_detail(status(gw, user, upload_id), 404, not_found(upload_id))
    assert quota(gw, user)["used_bytes"] == 0
    assert gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()["total"] == 0


def test_anonymous_callers_are_401(gw):
    assert_detail(gw.post("/api/videos/upload/init"), 401, "Not authenticated")
    assert_detail(gw.get("/api/videos/upload/4b0a8a1e-7f7e-4a39-9d55-0d8f3c1e2b6a"), 401, "Not authenticated")


def test_a_chunk_beyond_the_declared_count_is_400(gw, api, admin):
    user = register(api, admin)
    upload_id = init(gw, user, total_chunks=3)["upload_id"]
    assert_detail(send_chunk(gw, user, upload_id, 3, b"one too many"), 400,
                  "Chunk index 3 is beyond the session's 3 chunks")
    assert status(gw, user, upload_id).json()["received_chunks"] == []


def test_chunks_that_do_not_add_up_to_the_declared_size_are_400(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    upload_id = init(gw, user, total_size=len(data) + 1)["upload_id"]
    assert send_chunk(gw, user, upload_id, 0, data).status_code == 204
    assert_detail(complete(gw, user, upload_id), 400,
                  f"The chunks hold {len(data)} bytes, not the {len(data) + 1} declared at init")
    assert quota(gw, user)["used_bytes"] == 0
    assert gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()["total"] == 0


def test_joined_chunks_over_the_file_limit_are_400(gw, api, admin, tmp_path, limits):
    user = register(api, admin)
    big = make_video(tmp_path / "big.mp4", seconds=4, size="640x480", extra=["-b:v", "3M"]).read_bytes()
    assert len(big) > MiB
    limits(max_file_size_bytes=MiB)
    upload_id = init(gw, user)["upload_id"]
    for index, part in enumerate(split(big, 2)):
        assert send_chunk(gw, user, upload_id, index, part).status_code == 204
    assert_detail(complete(gw, user, upload_id), 400, too_large(MiB))
    assert quota(gw, user)["used_bytes"] == 0
    assert gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()["total"] == 0


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_two_simultaneous_completes_make_one_video(gw, api, admin, clip):
    user = register(api, admin)
    data = clip.read_bytes()
    upload_id = init(gw, user)["upload_id"]
    assert send_chunk(gw, user, upload_id, 0, data).status_code == 204
    sessions = [gw.elsewhere(gw.ip) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda s: complete(s, user, upload_id), sessions))
    for session in sessions:
        session.close()
    problems = []
    made = [a.json() for a in answers if a.status_code == 200]
    if not made:
        problems.append("neither complete made the video")
    for answer in answers:
        if answer.status_code == 404:
            if answer.json().get("detail") != not_found(upload_id):
                problems.append(f"404 with {answer.text[:200]}")
        elif answer.status_code != 200:
            problems.append(f"a complete answered {answer.status_code} {answer.text[:200]} (expected 200, or 404 once the session is gone)")
    if len({v["id"] for v in made}) > 1:
        problems.append(f"two completes made {len({v['id'] for v in made})} videos")
    total = gw.get("/api/videos/", params={"uploaded_by": user.id}, token=user.access_token).json()["total"]
    if total != 1:
        problems.append(f"the user has {total} videos, not 1")
    used = quota(gw, user)["used_bytes"]
    if used != len(data):
        problems.append(f"quota used {used}, not {len(data)}")
    for video in made:
        original = stored_original(video["id"])
        if not original.exists():
            problems.append(f"the video's stored original {original.name} is gone")
        elif sha256_of(original) != sha256_of(clip):
            problems.append("the video's stored original differs from the source")
    assert not problems, problems
