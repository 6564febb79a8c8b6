"""The runtime configuration, through the gateway (API.md §3.8, all admin).

- GET /api/config/ creates the row with the defaults; with or without the slash.
- PATCH applies only the fields sent; a preset mode applies its bundle first, then
  the fields sent explicitly override it; bitrates are normalised; every bad field
  is a 422 at its loc; an empty body is a 400; an unwritable storage path a 400.
- GET /api/config/encoders lists what this machine's ffmpeg has (libx264 here).
- Non-admins get 403, anonymous callers 401.
"""

import pytest

from auth_client import assert_datetime, assert_detail, assert_validation_error, register

CONFIG_KEYS = {
    "max_file_size_bytes", "weekly_upload_limit_bytes", "video_storage_path", "use_gpu_transcoding", "gpu_device_id",
    "nvenc_preset", "nvenc_cq", "nvenc_rate_control", "nvenc_max_bitrate", "nvenc_buffer_size", "cpu_preset",
    "cpu_crf", "max_resolution", "audio_bitrate", "transcode_preset_mode", "video_output_format", "updated_at",
    "updated_by",
}
BALANCED = {"nvenc_preset": "p4", "nvenc_cq": 18, "nvenc_max_bitrate": "8M", "nvenc_buffer_size": "16M",
            "cpu_preset": "medium", "cpu_crf": 18, "max_resolution": "1080p", "audio_bitrate": "192k"}
ADMIN_ONLY = "Not enough permissions. Admin access required."


@pytest.fixture
def restore(gw, admin):
    """Puts the shared configuration back to the defaults after a test changed it."""
    yield
    response = gw.patch("/api/config/", json={
        "transcode_preset_mode": "balanced", "max_file_size_bytes": 2 << 30, "weekly_upload_limit_bytes": 4 << 30,
        "use_gpu_transcoding": False, "gpu_device_id": 0, "nvenc_rate_control": "vbr", "video_output_format": "hls",
    }, token=admin.access_token)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/api/config/", "/api/config"])
def test_admin_reads_the_configuration(gw, admin, path):
    response = gw.get(path, token=admin.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == CONFIG_KEYS, body
    assert isinstance(body["max_file_size_bytes"], int) and body["max_file_size_bytes"] >= 1 << 20
    assert body["video_output_format"] in ("hls", "progressive")
    assert body["video_storage_path"].startswith("/")
    assert_datetime(body["updated_at"], "updated_at")


def test_patch_applies_only_sent_fields_and_records_the_admin(gw, admin, restore):
    before = gw.get("/api/config/", token=admin.access_token).json()
    response = gw.patch("/api/config/", json={"cpu_crf": 21, "nvenc_max_bitrate": "12m", "audio_bitrate": "160K"},
                        token=admin.access_token)
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["cpu_crf"] == 21
    assert after["nvenc_max_bitrate"] == "12M", "bitrates are normalised to upper case"
    assert after["audio_bitrate"] == "160k", "audio bitrate is normalised to lower case"
    assert after["updated_by"] == admin.id
    for key in CONFIG_KEYS - {"cpu_crf", "nvenc_max_bitrate", "audio_bitrate", "updated_at", "updated_by"}:
        assert after[key] == before[key], f"{key} changed though it was not sent"
    assert gw.get("/api/config/", token=admin.access_token).json()["cpu_crf"] == 21, "the change was not stored"


def test_a_preset_applies_its_bundle_then_explicit_fields_win(gw, admin, restore):
    response = gw.patch("/api/config/", json={"transcode_preset_mode": "quality", "cpu_crf": 20},
                        token=admin.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["transcode_preset_mode"] == "quality"
    assert (body["nvenc_preset"], body["nvenc_cq"], body["cpu_preset"], body["max_resolution"]) == ("p6", 16, "slow", "4k")
    assert body["cpu_crf"] == 20, "a field sent with the preset overrides the bundle"
    body = gw.patch("/api/config/", json={"transcode_preset_mode": "balanced"}, token=admin.access_token).json()
    assert {key: body[key] for key in BALANCED} == BALANCED


@pytest.mark.parametrize("field,value", [
    ("max_file_size_bytes", 1000), ("max_file_size_bytes", (10 << 30) + 1), ("max_file_size_bytes", "big"),
    ("weekly_upload_limit_bytes", (100 << 30) + 1), ("gpu_device_id", 16), ("gpu_device_id", -1),
    ("nvenc_preset", "p8"), ("nvenc_cq", 52), ("nvenc_rate_control", "abr"), ("nvenc_max_bitrate", "8X"),
    ("nvenc_buffer_size", "M"), ("cpu_preset", "ludicrous"), ("cpu_crf", -1), ("max_resolution", "8k"),
    ("audio_bitrate", "192"), ("audio_bitrate", "192m"), ("transcode_preset_mode", "fast"),
    ("video_output_format", "dash"), ("use_gpu_transcoding", "yes"), ("video_storage_path", ""),
    ("video_storage_path", "x" * 501), ("cpu_preset", "medium\u0000"),
])
def test_bad_fields_are_422_at_their_loc_and_change_nothing(gw, admin, field, value):
    before = gw.get("/api/config/", token=admin.access_token).json()
    valid_too = {"nvenc_cq": 30} if field == "cpu_crf" else {"cpu_crf": 30}
    response = gw.patch("/api/config/", json={field: value, **valid_too}, token=admin.access_token)
    assert_validation_error(response, ["body", field])
    assert gw.get("/api/config/", token=admin.access_token).json() == before, "a refused PATCH changed something"


def test_an_empty_patch_is_400(gw, admin):
    assert_detail(gw.patch("/api/config/", json={}, token=admin.access_token), 400, "No fields provided for update")


def test_an_unwritable_storage_path_is_400(gw, admin):
    for path in ["/proc/clipset-videos", "relative/videos"]:
        response = gw.patch("/api/config/", json={"video_storage_path": path}, token=admin.access_token)
        assert_detail(response, 400, f"Invalid or unwritable storage path: {path}")


def test_encoders_lists_what_ffmpeg_offers(gw, admin):
    response = gw.get("/api/config/encoders", token=admin.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"gpu_available", "gpu_name", "encoders"}
    assert "libx264" in body["encoders"], body
    assert set(body["encoders"]) <= {"h264_nvenc", "hevc_nvenc", "av1_nvenc", "libx264", "libx265"}
    assert body["gpu_available"] == any(name.endswith("_nvenc") for name in body["encoders"])


@pytest.mark.parametrize("method,path", [("get", "/api/config/"), ("patch", "/api/config/"),
                                         ("get", "/api/config/encoders")])
def test_only_admins_may_touch_the_configuration(gw, api, admin, method, path):
    user = register(api, admin)
    kwargs = {"json": {"cpu_crf": 20}} if method == "patch" else {}
    assert_detail(getattr(gw, method)(path, token=user.access_token, **kwargs), 403, ADMIN_ONLY)
    assert getattr(gw, method)(path, **kwargs).status_code == 401
