"""The one-request upload, `POST /api/videos/upload` through the gateway (API §3.5).

- 201 with a pending Video (every key), the title trimmed, an empty description null,
  file_size_bytes the bytes sent, the uploader's name, and the original's file name
  `<uuid>_<YYYYmmddHHMMSS>.<ext>`; mkv and webm clips are accepted like mp4.
- Refusals: missing file or title 422 at their loc; an empty file name 400; a wrong
  extension 400 (the accepted formats listed); a text file named .mp4 400 "Invalid
  video file..."; a truncated or malformed body 400; an unknown category 404. None of
  them leaves anything in $MEDIA_ROOT/temp/uploads, and none creates a video.
- A category media learnt from social's `social.category.created` event can be given,
  and the Video carries its name and slug.
"""

import pytest

from auth_client import assert_datetime, assert_detail, assert_validation_error, random_uuid, register
from media_client import VIDEO_KEYS, make_video, upload_multipart
from media_uploads_support import (  # noqa: F401 (held_workers and limits are fixtures)
    held_workers,
    ACCEPTED_FORMATS, STORED_FILENAME, assert_nothing_new, folder_files, known_category, sha256_of, stored_original,
    video_rows,
)

TEMP = "temp/uploads"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("multipart") / "clip.mp4")


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
def test_an_upload_becomes_a_pending_video(gw, api, admin, clip):
    user = register(api, admin)
    response = upload_multipart(gw, user.access_token, clip, title="  Sunset over the bay \n", description="   ")
    assert response.status_code == 201, response.text
    video = response.json()
    assert set(video) == VIDEO_KEYS, sorted(set(video) ^ VIDEO_KEYS)
    assert video["title"] == "Sunset over the bay", "the title is trimmed"
    assert video["description"] is None, "a blank description is stored as null"
    assert video["processing_status"] == "pending"
    assert video["file_size_bytes"] == clip.stat().st_size
    assert video["uploaded_by"] == user.id
    assert video["uploader_username"] == user.username
    assert video["original_filename"] == "clip.mp4"
    assert video["category_id"] is None and video["category_name"] is None and video["category_slug"] is None
    assert video["view_count"] == 0
    assert len(video["short_id"]) == 10 and video["short_id"].isalnum()
    match = STORED_FILENAME.match(video["filename"])
    assert match and match.group(1) == "mp4", f"filename {video['filename']!r} is not <uuid>_<14 digits>.mp4"
    assert_datetime(video["created_at"], "created_at")
    assert sha256_of(stored_original(video["id"])) == sha256_of(clip), "the stored original differs from the upload"
    read = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert read.status_code == 200, read.text
    assert read.json()["id"] == video["id"]


def test_a_description_is_trimmed(gw, api, admin, clip):
    user = register(api, admin)
    response = upload_multipart(gw, user.access_token, clip, title="T", description="  words here \n")
    assert response.status_code == 201, response.text
    assert response.json()["description"] == "words here"


@pytest.mark.usefixtures("held_workers")  # the original is looked at before a worker deletes it
@pytest.mark.parametrize("name,extra,ext", [
    ("clip.mkv", None, "mkv"),
    ("clip.webm", ["-c:v", "libvpx", "-c:a", "libopus", "-b:v", "300k"], "webm"),
])
def test_matroska_and_webm_clips_are_accepted(gw, api, admin, tmp_path, name, extra, ext):
    user = register(api, admin)
    source = make_video(tmp_path / name, extra=extra)
    response = upload_multipart(gw, user.access_token, source, title=f"A {ext} clip")
    assert response.status_code == 201, response.text
    video = response.json()
    assert video["processing_status"] == "pending"
    assert video["file_size_bytes"] == source.stat().st_size
    assert video["original_filename"] == name
    match = STORED_FILENAME.match(video["filename"])
    assert match and match.group(1) == ext, f"filename {video['filename']!r} should end in .{ext}"
    assert sha256_of(stored_original(video["id"])) == sha256_of(source)


def test_missing_file_is_422_at_its_loc(gw, api, admin):
    user = register(api, admin)
    before = folder_files(TEMP)
    response = gw.post("/api/videos/upload", token=user.access_token, files={"title": (None, "No file")})
    assert_validation_error(response, ["body", "file"])
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


def test_missing_title_is_422_at_its_loc(gw, api, admin, clip):
    user = register(api, admin)
    before = folder_files(TEMP)
    with open(clip, "rb") as handle:
        response = gw.post("/api/videos/upload", token=user.access_token,
                           files={"file": ("clip.mp4", handle, "video/mp4")})
    assert_validation_error(response, ["body", "title"])
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


def test_an_empty_filename_is_400(gw, api, admin, clip):
    user = register(api, admin)
    before = folder_files(TEMP)
    response = gw.post("/api/videos/upload", token=user.access_token, data={"title": "Nameless"},
                       files={"file": ("", clip.read_bytes(), "video/mp4")})
    assert_detail(response, 400, "No filename provided")
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


@pytest.mark.parametrize("filename", ["clip.txt", "clip", "clip.mp4.exe"])
def test_a_wrong_extension_is_400_listing_the_accepted_formats(gw, api, admin, clip, filename):
    user = register(api, admin)
    before = folder_files(TEMP)
    response = upload_multipart(gw, user.access_token, clip, title="Wrong", filename=filename)
    assert_detail(response, 400, ACCEPTED_FORMATS)
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


def test_an_upper_case_extension_is_accepted(gw, api, admin, clip):
    user = register(api, admin)
    response = upload_multipart(gw, user.access_token, clip, title="Loud", filename="CLIP.MP4")
    assert response.status_code == 201, response.text
    assert response.json()["original_filename"] == "CLIP.MP4"


def test_a_text_file_named_mp4_is_refused_as_an_invalid_video(gw, api, admin, tmp_path):
    user = register(api, admin)
    fake = tmp_path / "notes.mp4"
    fake.write_text("These are my notes, not a video.\n" * 200)
    before = folder_files(TEMP)
    originals = folder_files("originals")
    response = upload_multipart(gw, user.access_token, fake, title="Fake")
    assert response.status_code == 400, response.text
    detail = response.json().get("detail")
    assert isinstance(detail, str) and detail.startswith("Invalid video file"), response.text
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)
    assert_nothing_new("originals", originals)
    assert gw.get("/api/videos/quota/me", token=user.access_token).json()["used_bytes"] == 0, "a refused upload was charged"


def test_a_truncated_body_is_400(gw, api, admin, clip):
    user = register(api, admin)
    before = folder_files(TEMP)
    boundary = "----clipsetboundary7MA4YWxk"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCut short\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
            f"Content-Type: video/mp4\r\n\r\n").encode() + clip.read_bytes()[:20000]  # no closing boundary
    response = gw.post("/api/videos/upload", token=user.access_token, data=body,
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert_detail(response, 400, "There was an error parsing the body")
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


def test_a_malformed_body_is_400(gw, api, admin):
    user = register(api, admin)
    before = folder_files(TEMP)
    response = gw.post("/api/videos/upload", token=user.access_token, data=b"this is not multipart at all\r\n",
                       headers={"Content-Type": "multipart/form-data; boundary=nothere"})
    assert_detail(response, 400, "There was an error parsing the body")
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)


def test_an_unknown_category_is_404(gw, api, admin, clip):
    user = register(api, admin)
    before = folder_files(TEMP)
    category_id = random_uuid()
    response = upload_multipart(gw, user.access_token, clip, title="Lost", category_id=category_id)
    assert_detail(response, 404, f"Category not found: {category_id}")
    assert video_rows(user.id) == 0
    assert_nothing_new(TEMP, before)
    assert gw.get("/api/videos/quota/me", token=user.access_token).json()["used_bytes"] == 0, "a refused upload was charged"


def test_a_category_known_from_socials_event_can_be_given(gw, api, admin, clip):
    user = register(api, admin)
    category = known_category()
    response = upload_multipart(gw, user.access_token, clip, title="Filed", category_id=category["id"])
    assert response.status_code == 201, response.text
    video = response.json()
    assert video["category_id"] == category["id"]
    assert video["category_name"] == category["name"]
    assert video["category_slug"] == category["slug"]
    read = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token).json()
    assert (read["category_id"], read["category_name"], read["category_slug"]) == (
        category["id"], category["name"], category["slug"])


def test_anonymous_uploads_are_401(gw, clip):
    response = upload_multipart(gw, None, clip, title="Nobody")
    assert_detail(response, 401, "Not authenticated")
