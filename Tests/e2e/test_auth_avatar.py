"""Avatars: POST/DELETE /api/users/me/avatar and the files under /media/avatars/.

- The content decides, not the declared type: a PNG sent as
  application/octet-stream is accepted, text sent as image/png is 400
  "File must be an image"; > 2 MiB -> 400 "Image file too large..."; a broken
  PNG -> 400 "Invalid image file..."; no `file` field -> 422.
- Success: UserWithQuota with avatar_url /media/avatars/<user_id>_<8 hex>.webp,
  served by auth as a 256x256 WebP; replacing deletes the old file; deleting
  clears avatar_url (again -> 404 "User has no avatar").
- Each change emits auth.user.updated with the new avatar_url.
"""

import re

from auth_client import assert_detail, assert_json, assert_user_with_quota, assert_validation_error, me, register
from auth_images import PNG_MAGIC, make_image, webp_dimensions

AVATAR = "/api/users/me/avatar"
MAX_BYTES = 2 * 1024 * 1024


def upload(api, user, data: bytes, content_type: str, name: str = "avatar.png"):
    return api.post(AVATAR, files={"file": (name, data, content_type)}, token=user.access_token)


def uploaded(api, user, data: bytes, content_type: str = "image/png", name: str = "avatar.png") -> dict:
    response = upload(api, user, data, content_type, name)
    assert response.status_code == 200, f"avatar upload failed: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert_user_with_quota(body)
    pattern = rf"^/media/avatars/{re.escape(user.id)}_[0-9a-f]{{8}}\.webp$"
    assert re.match(pattern, body["avatar_url"] or ""), f"avatar_url {body['avatar_url']!r} is not like {pattern}"
    return body


def test_png_declared_as_octet_stream_becomes_a_256px_webp(api, admin, tmp_path):
    user = register(api, admin)
    body = uploaded(api, user, make_image(tmp_path, "wide.png"), "application/octet-stream")
    response = api.get(body["avatar_url"])
    assert response.status_code == 200, response.text
    assert response.headers.get("Content-Type", "").startswith("image/webp"), response.headers
    assert webp_dimensions(response.content) == (256, 256)
    assert me(api, user)["avatar_url"] == body["avatar_url"]


def test_jpeg_avatar_is_accepted(api, admin, tmp_path):
    user = register(api, admin)
    body = uploaded(api, user, make_image(tmp_path, "tall.jpg", "300x500"), "image/jpeg", "tall.jpg")
    assert webp_dimensions(api.get(body["avatar_url"]).content) == (256, 256)


def test_text_declared_as_png_is_refused(api, admin):
    user = register(api, admin)
    response = upload(api, user, b"just some text, not a picture\n" * 20, "image/png")
    assert_detail(response, 400, "File must be an image")


def test_image_over_2_mib_is_refused(api, admin, tmp_path):
    user = register(api, admin)
    png = make_image(tmp_path, "big.png")
    response = upload(api, user, png + b"\0" * (MAX_BYTES + 1 - len(png)), "image/png")
    assert response.status_code == 400, response.text
    assert assert_json(response)["detail"].startswith("Image file too large"), response.text


def test_broken_png_is_refused(api, admin):
    user = register(api, admin)
    response = upload(api, user, PNG_MAGIC + b"\x00garbage" * 100, "image/png")
    assert response.status_code == 400, response.text
    assert assert_json(response)["detail"].startswith("Invalid image file"), response.text


def test_upload_without_file_field_is_422(api, admin, tmp_path):
    user = register(api, admin)
    png = make_image(tmp_path, "a.png")
    response = api.post(AVATAR, files={"picture": ("a.png", png, "image/png")}, token=user.access_token)
    assert_validation_error(response, ["body", "file"])


def test_replacing_the_avatar_deletes_the_old_file(api, admin, tmp_path):
    user = register(api, admin)
    first = uploaded(api, user, make_image(tmp_path, "one.png"))["avatar_url"]
    second = uploaded(api, user, make_image(tmp_path, "two.png", "320x320"))["avatar_url"]
    assert first != second
    assert api.get(first).status_code == 404, "the replaced avatar file is still served"
    assert api.get(second).status_code == 200


def test_delete_avatar(api, admin, tmp_path):
    user = register(api, admin)
    uploaded(api, user, make_image(tmp_path, "a.png"))
    response = api.delete(AVATAR, token=user.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_user_with_quota(body)
    assert body["avatar_url"] is None
    assert me(api, user)["avatar_url"] is None
    assert_detail(api.delete(AVATAR, token=user.access_token), 404, "User has no avatar")


def test_delete_without_avatar_is_404(api, admin):
    user = register(api, admin)
    assert_detail(api.delete(AVATAR, token=user.access_token), 404, "User has no avatar")


def test_others_see_the_avatar_on_the_profile(api, admin, tmp_path):
    user = register(api, admin)
    viewer = register(api, admin)
    url = uploaded(api, user, make_image(tmp_path, "a.png"))["avatar_url"]
    assert api.get(f"/api/users/{user.id}", token=viewer.access_token).json()["avatar_url"] == url


def test_avatar_change_emits_user_updated(api, admin, events, tmp_path):
    user = register(api, admin)
    listener = events("auth.user.updated")
    url = uploaded(api, user, make_image(tmp_path, "a.png"))["avatar_url"]
    event = listener.wait_for("auth.user.updated", user_id=user.id, avatar_url=url)
    assert event["data"]["username"] == user.username and event["data"]["role"] == "user", event
