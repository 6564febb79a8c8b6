"""`scripts/clipset import` on the test platform: an original Clipset, built here in the
original's own schema with real files (import_support.build_source), brought in, then checked
through the gateway as its users would see it.

- The import runs against the platform of the environment it is given: under scripts/test
  that is the test platform (.local/test, ports 28080...), never `up`'s.
- Users keep their ids and their passwords (the bcrypt hashes carry over); the deactivated one
  gets 403 "Inactive user"; the source's `admin` is merged into Clipset's initial admin, which
  keeps its own password and gets the source admin's content.
- Invitations keep their tokens and states; categories their slugs and images; videos their
  ids, short ids, titles, view counts and statuses; the completed ones stream and have their
  thumbnails; the pending one is processed by the media workers; the failed one keeps its
  error message; playlists keep their order, renumbered 0..n-1; comments and replies keep
  their authors, timestamps and times.
- Nobody imported is welcomed by email again.
- A second import changes nothing (every row "already there", exit 0); a dry run of another
  source writes nothing and says what it would do.
- A database of the original's first video release (no short ids, playlists, comments,
  avatars, category images) imports too: its video gets the exporter's stable short id.
- A file that is not an SQLite database stops the import before any service runs (exit 1).

Other services learn users, videos and categories through events, within seconds: everything
here polls with a timeout.
"""

import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from auth_client import Api, admin_password, assert_detail, login, login_tokens, parse_datetime
from import_support import CLIPSET, build_phase1_source, build_source, derived_short_id, run_import
from media_streaming_support import gateway_url
from media_workers_support import ffmpeg_decode, ffprobe
from notify_support import describe, mails
from social_support import assert_positions, wait_until
from support import process, required_env

SYNC = 30  # seconds the other services get to hear of the imported rows
PROCESSING = 180  # seconds the workers get for the pending video
TABLES = ("users", "invitations", "categories", "videos", "playlists", "playlist_videos", "comments")
INACTIVE = "Inactive user"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The source, imported once: {"source", "run"}."""
    source = build_source(tmp_path_factory.mktemp("original"))
    return {"source": source, "run": run_import(source)}


@pytest.fixture(scope="module")
def source(world):
    run = world["run"]
    assert run.returncode == 0, f"the import failed: {run.describe()}"
    return world["source"]


@pytest.fixture
def gw():
    with Api(process("gateway").url) as session:
        yield session


@pytest.fixture(scope="module")
def alice(source):
    """alice, logged in through the gateway with her ORIGINAL password."""
    username = f"alice_{source.tag}"
    with Api(process("gateway").url) as session:
        return login_tokens(session, username, source.passwords[username])["access_token"]


# --- helpers -------------------------------------------------------------------------------------


def same_time(value: str, moment: datetime) -> bool:
    return value is not None and parse_datetime(value) == moment.replace(tzinfo=timezone.utc)


def video(gw, token: str, short_id: str):
    return gw.get(f"/api/videos/{short_id}", token=token)


def read_video(gw, token: str, short_id: str) -> dict:
    response = video(gw, token, short_id)
    assert response.status_code == 200, f"GET video {short_id}: {response.status_code} {response.text[:300]}"
    return response.json()


def all_pages(gw, token: str, path: str, limit: int) -> list:
    """Every item of a bare-array admin list (users, invitations), page by page."""
    items, skip = [], 0
    while True:
        response = gw.get(path, params={"skip": skip, "limit": limit}, token=token)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text[:300]}"
        page = response.json()
        items += page
        if len(page) < limit:
            return items
        skip += limit


def category_named(gw, token: str, name: str):
    response = gw.get("/api/categories/", token=token)
    assert response.status_code == 200, response.text[:300]
    return next((c for c in response.json()["categories"] if c["name"] == name), None)


def assert_plays(gw, token: str, short_id: str, tmp_path: Path) -> dict:
    """stream-info says ready, and the video plays: the progressive file downloads and probes as
    H.264, or the HLS master (through its signed URL) decodes to the end. Returns stream-info."""
    response = gw.get(f"/api/videos/{short_id}/stream-info", token=token)
    assert response.status_code == 200, f"stream-info {short_id}: {response.status_code} {response.text[:300]}"
    info = response.json()
    assert info["ready"] is True and info["format"] in ("hls", "progressive"), info
    if info["format"] == "progressive":
        assert info["stream_url"] == f"/api/videos/{short_id}/stream", info
        ranged = gw.get(info["stream_url"], token=token, headers={"Range": "bytes=0-99"})
        assert ranged.status_code == 206 and len(ranged.content) == 100, f"{ranged.status_code} {ranged.text[:200]}"
        whole = gw.get(info["stream_url"], token=token)
        assert whole.status_code == 200, whole.text[:200]
        (tmp_path / f"{short_id}.mp4").write_bytes(whole.content)
        streams = ffprobe(str(tmp_path / f"{short_id}.mp4"))["streams"]
        assert any(s["codec_type"] == "video" and s["codec_name"] == "h264" for s in streams), streams
    else:
        assert info["manifest_url"] == f"/api/videos/{short_id}/hls/master.m3u8", info
        master = gw.get(info["manifest_url"], token=token)
        assert master.status_code == 200 and master.text.startswith("#EXTM3U"), f"{master.status_code} {master.text[:300]}"
        signed = info.get("signed_manifest_url")
        assert signed, f"no signed_manifest_url to play from: {info}"
        decoded = ffmpeg_decode(gateway_url() + signed)
        assert decoded.returncode == 0, f"ffmpeg could not play {signed}: {decoded.stderr[-2000:]}"
    return info


def assert_thumbnail(gw, token: str, short_id: str, expected: bytes = None) -> bytes:
    response = gw.get(f"/api/videos/{short_id}/thumbnail", token=token)
    assert response.status_code == 200, f"thumbnail {short_id}: {response.status_code} {response.text[:300]}"
    assert response.headers.get("Content-Type", "").startswith("image/jpeg"), response.headers
    assert response.content[:2] == b"\xff\xd8", "not a JPEG"
    if expected is not None:
        assert response.content == expected, "the thumbnail is not the original's"
    return response.content


def table_rows(stdout: str) -> dict:
    """The import's closing table: table -> [source, imported, already there, merged, skipped, in Clipset]."""
    lines = stdout.splitlines()
    header = next((i for i, line in enumerate(lines) if "in Clipset" in line and "|" in line), None)
    assert header is not None, f"no table in the output:\n{stdout[-3000:]}"
    cells = [cell.strip() for cell in lines[header].split("|")]
    assert cells == ["table", "source", "imported", "already there", "merged", "skipped", "in Clipset"], cells
    rows = {}
    for line in lines[header + 2:]:
        parts = [cell.strip() for cell in line.split("|")]
        if len(parts) != 7:
            break
        rows[parts[0]] = [int(p) for p in parts[1:]]
    return rows


# --- refusals --------------------------------------------------------------------------------------


def test_a_file_that_is_not_sqlite_stops_before_any_service(tmp_path):
    """The platform is up, but the export fails: exit 1 with its message, no service runs."""
    fake = tmp_path / "clipset.db"
    fake.write_text("not a database\n" * 20)
    (tmp_path / "uploads").mkdir()
    result = subprocess.run([str(CLIPSET), "import", "--sqlite", str(fake), "--media-root", str(tmp_path / "uploads")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "is not an SQLite database" in result.stderr, result.stderr
    assert "auth import" not in result.stdout + result.stderr, result.stdout


# --- the first import ------------------------------------------------------------------------------


def test_the_import_targets_the_test_platform(world):
    """pytest's environment is scripts/test's: the import used .local/test and its platform."""
    state = Path(required_env("CLIPSET_E2E_STATE_DIR")).resolve()
    assert Path(os.environ["CLIPSET_STATE_DIR"]).resolve() == state
    assert os.environ.get("CLIPSET_PORT_BASE") == "28080" and os.environ.get("CLIPSET_DB_NAME") == "clipset_e2e"
    run = world["run"]
    assert run.run_dir is not None and run.run_dir.parent.resolve() == state / "import", run.describe()
    assert (run.run_dir / "export.json").is_file() and (run.run_dir / "export-mapped.json").is_file()
    assert str(state) in run.stdout, run.stdout[:500]


def test_the_first_import_reports_every_table(world, admin):
    run, source = world["run"], world["source"]
    assert run.returncode == 0, run.describe()
    for line in ("==> auth import", "==> social import", "==> media import"):
        assert line in run.stdout, run.describe()
    tables = run.tables()
    for table in TABLES:
        assert table in tables, f"no counts for {table}: {sorted(tables)}"
        counts = tables[table]
        assert counts["source"] == source.count(table), (table, counts)
        assert counts["skipped"] == 0 and counts["present"] == counts["source"], (table, counts)
        merged = 1 if table == "users" else 0
        assert counts["merged"] == merged and counts["imported"] == counts["source"] - merged, (table, counts)
        assert counts["existing"] == 0, (table, counts)
    assert run.problems() == [], run.problems()
    for service, report in run.counts().items():
        assert report["service"] == service and report["dry_run"] is False, report
    printed = table_rows(run.stdout)
    assert printed["users"] == [3, 2, 0, 1, 0, 3], printed
    assert printed["videos"] == [4, 4, 0, 0, 0, 4], printed
    user_map = json.loads((run.run_dir / "user-map.json").read_text())
    assert user_map == {source["admin"].uid: admin.id}, user_map


def test_imported_users_log_in_with_their_original_passwords(gw, source, admin, tmp_path):
    username = f"alice_{source.tag}"
    tokens = login_tokens(gw, username, source.passwords[username])
    me = gw.get("/api/auth/me", token=tokens["access_token"])
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["id"] == source["alice"].uid and body["username"] == username, body
    assert body["email"] == f"alice_{source.tag}@example.com" and body["role"] == "user", body
    assert body["is_active"] is True and same_time(body["created_at"], source["alice"]["created_at"]), body
    # the upload counter is media's: auth's /me hears of it through media.quota.changed
    wait_until(lambda: gw.get("/api/auth/me", token=tokens["access_token"]).json()["weekly_upload_bytes"] == 123456,
               SYNC, "alice's weekly_upload_bytes does not become the source's 123456")
    assert body["avatar_url"], f"alice's avatar was not imported: {body}"
    avatar = gw.get(body["avatar_url"].split("?", 1)[0])
    assert avatar.status_code == 200 and avatar.content[:4] == b"RIFF" and avatar.content[8:12] == b"WEBP", \
        f"{body['avatar_url']}: {avatar.status_code} {avatar.headers.get('Content-Type')}"

    bob = f"bob_{source.tag}"
    assert_detail(login(gw.elsewhere(), bob, source.passwords[bob]), 403, INACTIVE)
    assert login(gw.elsewhere(), bob, "not-the-password").status_code == 401


def test_the_source_admin_is_merged_into_clipsets_admin(gw, source, admin):
    """Clipset's admin keeps its password; the source admin's is not taken over; one `admin`."""
    assert login(gw, "admin", admin_password()).status_code == 200
    assert login(gw.elsewhere(), "admin", source.passwords["admin"]).status_code == 401
    users = all_pages(gw, admin.access_token, "/api/users/", 500)
    admins = [u for u in users if u["username"] == "admin"]
    assert len(admins) == 1 and admins[0]["id"] == admin.id, admins
    assert all(u["id"] != source["admin"].uid for u in users), "the source admin's id became an account"
    by_name = {u["username"]: u for u in users}
    assert by_name[f"alice_{source.tag}"]["id"] == source["alice"].uid
    assert by_name[f"bob_{source.tag}"]["is_active"] is False


def test_invitations_keep_their_tokens_and_states(gw, source, admin):
    invitations = {i["id"]: i for i in all_pages(gw, admin.access_token, "/api/invitations/", 100)}
    for name in ("invitation_used", "invitation_open", "invitation_expired"):
        row = source[name]
        assert row.uid in invitations, f"{name} is not listed"
        listed = invitations[row.uid]
        assert listed["token"] == row["token"] and listed["email"] == row["email"], listed
        assert listed["used"] is row["used"] and listed["created_by"] == admin.id, listed
        assert same_time(listed["created_at"], row["created_at"]), (listed, row["created_at"])
        assert same_time(listed["expires_at"], row["expires_at"]), (listed, row["expires_at"])
    assert same_time(invitations[source["invitation_used"].uid]["used_at"], source["invitation_used"]["used_at"])
    assert invitations[source["invitation_open"].uid]["used_at"] is None

    def validate(name):
        response = gw.get(f"/api/invitations/validate/{source[name]['token']}")
        assert response.status_code == 200, response.text
        return response.json()

    assert validate("invitation_open") == {"valid": True, "email": source["invitation_open"]["email"],
                                           "message": "Invitation is valid"}
    assert validate("invitation_used")["message"] == "Invitation has already been used"
    assert validate("invitation_expired")["message"] == "Invitation has expired"


def test_categories_keep_their_slugs_and_images(gw, source, admin, alice):
    gaming = category_named(gw, alice, source["gaming"]["name"])
    cooking = category_named(gw, alice, source["cooking"]["name"])
    assert gaming and cooking, "the imported categories are not listed"
    assert gaming["id"] == source["gaming"].uid and gaming["slug"] == source["gaming"]["slug"], gaming
    assert gaming["description"] == "Games and play-throughs" and gaming["created_by"] == admin.id, gaming
    assert same_time(gaming["created_at"], source["gaming"]["created_at"]), gaming
    assert gaming["image_filename"] and gaming["image_url"], gaming
    assert cooking["slug"] == source["cooking"]["slug"] and cooking["image_url"] is None, cooking
    by_slug = gw.get(f"/api/categories/slug/{source['gaming']['slug']}", token=alice)
    assert by_slug.status_code == 200 and by_slug.json()["id"] == gaming["id"], by_slug.text
    with Api(process("gateway").url) as anonymous:
        for path in (gaming["image_url"].split("?", 1)[0], f"/api/categories/{gaming['id']}/image"):
            image = anonymous.get(path)
            assert image.status_code == 200, f"{path}: {image.status_code} {image.text[:200]}"
            assert image.headers.get("Content-Type", "").startswith("image/webp"), image.headers
            assert image.content == (source.media_root / "category-images" / f"{gaming['id']}.webp").read_bytes()
    wait_until(lambda: (category_named(gw, alice, source["gaming"]["name"]) or {}).get("video_count") == 1, SYNC,
               "Gaming's video_count does not become 1 (its imported video)")
    wait_until(lambda: (category_named(gw, alice, source["cooking"]["name"]) or {}).get("video_count") == 1, SYNC,
               "Cooking's video_count does not become 1 (its imported pending video)")


def test_videos_keep_their_short_ids_titles_counts_and_statuses(gw, source, admin, alice):
    expected = {
        "progressive": (alice, "completed", 42, source["alice"].uid, f"alice_{source.tag}"),
        "hls": (admin.access_token, "completed", 7, admin.id, "admin"),
        "failed": (alice, "failed", 3, source["alice"].uid, f"alice_{source.tag}"),
        "pending": (alice, None, 0, source["alice"].uid, f"alice_{source.tag}"),
    }
    for name, (token, status, views, owner, owner_name) in expected.items():
        row = source[name]
        for caller in (token, admin.access_token):
            body = read_video(gw, caller, row["short_id"])
            assert body["id"] == row.uid and body["short_id"] == row["short_id"], body
            assert body["title"] == row["title"] and body["description"] == row["description"], body
            assert body["view_count"] == views, (name, body["view_count"])
            assert body["uploaded_by"] == owner and body["uploader_username"] == owner_name, (name, body)
            assert body["original_filename"] == row["original_filename"], body
            assert same_time(body["created_at"], row["created_at"]), (name, body["created_at"], row["created_at"])
            if status:
                assert body["processing_status"] == status, (name, body)
            else:
                assert body["processing_status"] in ("pending", "processing", "completed"), (name, body)
    progressive = read_video(gw, alice, source["progressive"]["short_id"])
    assert progressive["duration_seconds"] == 2 and progressive["category_id"] == source["gaming"].uid, progressive
    wait_until(lambda: read_video(gw, alice, source["progressive"]["short_id"])["category_slug"] == source["gaming"]["slug"],
               SYNC, "media does not show the imported category's slug on the video")
    failed = read_video(gw, alice, source["failed"]["short_id"])
    assert failed["error_message"] == source["failed"]["error_message"], failed
    listing = gw.get("/api/videos/", params={"uploaded_by": source["alice"].uid, "limit": 50}, token=alice)
    assert listing.status_code == 200, listing.text
    assert {v["short_id"] for v in listing.json()["videos"]} == {
        source[n]["short_id"] for n in ("progressive", "failed", "pending")}, listing.json()


def test_completed_videos_stream_and_have_their_thumbnails(gw, source, admin, alice, tmp_path):
    for name, token in (("progressive", alice), ("hls", admin.access_token)):
        row = source[name]
        assert_plays(gw, token, row["short_id"], tmp_path)
        original = (source.media_root / "thumbnails" / row["thumbnail_filename"]).read_bytes()
        assert_thumbnail(gw, token, row["short_id"], original)
    info = gw.get(f"/api/videos/{source['hls']['short_id']}/stream-info", token=alice).json()
    assert info["format"] == "hls", f"the original's HLS video is not served as HLS: {info}"


def test_the_pending_video_is_processed_by_the_workers(gw, source, alice, tmp_path):
    short_id = source["pending"]["short_id"]

    def status():
        return read_video(gw, alice, short_id)["processing_status"]

    final = wait_until(lambda: status() in ("completed", "failed") and status(), PROCESSING,
                       f"the imported pending video {short_id} is not processed")
    body = read_video(gw, alice, short_id)
    assert final == "completed", f"processing the imported upload failed: {body}"
    assert body["duration_seconds"] == 2 and body["thumbnail_filename"], body
    assert_plays(gw, alice, short_id, tmp_path)
    assert_thumbnail(gw, alice, short_id)


def test_the_failed_video_stays_failed(gw, source, alice):
    short_id = source["failed"]["short_id"]
    body = read_video(gw, alice, short_id)
    assert body["processing_status"] == "failed", body
    assert body["error_message"] == source["failed"]["error_message"], body
    info = gw.get(f"/api/videos/{short_id}/stream-info", token=alice)
    assert info.status_code == 200 and info.json()["ready"] is False, info.text


def playlist(gw, token: str, short_id: str) -> dict:
    response = gw.get(f"/api/playlists/{short_id}", token=token)
    assert response.status_code == 200, f"GET playlist {short_id}: {response.status_code} {response.text[:300]}"
    return response.json()


def test_playlists_keep_their_order(gw, source, admin, alice):
    favourites = source["favourites"]
    body = wait_until(lambda: (lambda p: len(p["videos"]) == 3 and p)(playlist(gw, alice, favourites["short_id"])),
                      SYNC, "alice's playlist does not show its three videos")
    order = assert_positions(body)
    assert order == [source["progressive"].uid, source["hls"].uid, source["failed"].uid], order
    assert body["id"] == favourites.uid and body["name"] == favourites["name"], body
    assert body["description"] == "The best ones" and body["created_by"] == source["alice"].uid, body
    assert body["creator_username"] == f"alice_{source.tag}" and body["video_count"] == 3, body
    assert same_time(body["created_at"], favourites["created_at"]), body
    assert [e["video"]["short_id"] for e in body["videos"]] == [
        source[n]["short_id"] for n in ("progressive", "hls", "failed")]
    entry = body["videos"][0]
    assert entry["id"] == source["entry_progressive"].uid and entry["added_by"] == source["alice"].uid, entry
    assert same_time(entry["added_at"], source["entry_progressive"]["added_at"]), entry

    picks = wait_until(lambda: (lambda p: len(p["videos"]) == 1 and p)(playlist(gw, admin.access_token,
                                                                                 source["picks"]["short_id"])),
                       SYNC, "the admin's playlist does not show its video")
    assert picks["created_by"] == admin.id and picks["creator_username"] == "admin", picks
    assert assert_positions(picks) == [source["pending"].uid]
    assert picks["videos"][0]["added_by"] == admin.id, picks["videos"][0]
    mine = gw.get(f"/api/playlists/by-user/alice_{source.tag}", token=alice)
    assert mine.status_code == 200 and [p["short_id"] for p in mine.json()["playlists"]] == [favourites["short_id"]]


def comments(gw, token: str, video_id: str, **params):
    return gw.get(f"/api/videos/{video_id}/comments", params=params, token=token)


def test_comments_and_replies_keep_authors_and_timestamps(gw, source, admin, alice):
    video_id = source["progressive"].uid
    wait_until(lambda: comments(gw, alice, video_id).status_code == 200, SYNC,
               "social does not know the imported video")
    body = comments(gw, alice, video_id, sort="oldest").json()
    assert body["total"] == 2 and body["has_more"] is False, body
    first, second = body["comments"]
    assert first["id"] == source["comment_bob"].uid and first["author_username"] == f"bob_{source.tag}", first
    assert first["timestamp_seconds"] is None and first["reply_count"] == 0, first
    assert second["id"] == source["comment_alice"].uid and second["user_id"] == source["alice"].uid, second
    assert second["author_username"] == f"alice_{source.tag}" and second["timestamp_seconds"] == 1, second
    assert second["content"] == "Look at the colours here" and second["is_edited"] is True, second
    assert second["can_edit"] is False, "a comment from 2024 is past the 24 h edit window"
    assert same_time(second["created_at"], source["comment_alice"]["created_at"]), second
    assert same_time(second["updated_at"], source["comment_alice"]["updated_at"]), second
    assert second["reply_count"] == 1 and len(second["replies"] or []) == 1, second
    reply = second["replies"][0]
    assert reply["id"] == source["comment_reply"].uid and reply["parent_id"] == second["id"], reply
    assert reply["user_id"] == admin.id and reply["author_username"] == "admin", reply
    assert reply["content"] == "Nice catch" and reply["timestamp_seconds"] is None, reply
    markers = gw.get(f"/api/videos/{video_id}/comment-markers", token=alice)
    assert markers.status_code == 200 and markers.json() == [{"seconds": 1, "count": 1}], markers.text


# --- again, and a dry run ----------------------------------------------------------------------------


def test_a_second_import_changes_nothing(gw, source, admin, alice):
    progressive = source["progressive"]["short_id"]
    views = gw.post(f"/api/videos/{progressive}/view", token=alice)
    assert views.status_code == 200, views.text
    count = views.json()["view_count"]
    wait_until(lambda: read_video(gw, alice, progressive)["view_count"] == count, SYNC, "the view is not counted")
    pending_status = read_video(gw, alice, source["pending"]["short_id"])["processing_status"]
    users_before = len(all_pages(gw, admin.access_token, "/api/users/", 500))

    run = run_import(source)
    assert run.returncode == 0, run.describe()
    tables = run.tables()
    for table in TABLES:
        counts = tables[table]
        merged = 1 if table == "users" else 0
        assert counts["imported"] == 0 and counts["skipped"] == 0, (table, counts)
        assert counts["existing"] == counts["source"] - merged and counts["merged"] == merged, (table, counts)
        assert counts["present"] == counts["source"], (table, counts)
    assert run.problems() == [], run.problems()
    assert table_rows(run.stdout)["comments"] == [3, 0, 3, 0, 0, 3]

    assert read_video(gw, alice, progressive)["view_count"] == count, "the import reset the view count"
    assert read_video(gw, alice, source["pending"]["short_id"])["processing_status"] == pending_status
    assert len(all_pages(gw, admin.access_token, "/api/users/", 500)) == users_before
    favourites = playlist(gw, alice, source["favourites"]["short_id"])
    assert assert_positions(favourites) == [source[n].uid for n in ("progressive", "hls", "failed")]
    assert comments(gw, alice, source["progressive"].uid).json()["total"] == 2


def test_imported_users_are_not_welcomed_again(source):
    """Registration mails a welcome; an imported account registered long ago gets none (by now
    notify has long handled the import's auth.user.registered events)."""
    for name in ("alice", "bob"):
        welcomes = mails(to=source[name]["email"].lower(), kind="welcome")
        assert welcomes == [], f"{name} was welcomed on import: {describe(welcomes)}"


def test_a_dry_run_writes_nothing(gw, source, admin, tmp_path):
    fresh = build_source(tmp_path / "another")
    run = run_import(fresh, "--dry-run")
    assert run.returncode == 0, run.describe()
    assert "dry run" in run.stdout, run.stdout[-2000:]
    for service, report in run.counts().items():
        assert report["dry_run"] is True, report
    tables = run.tables()
    for table in TABLES:
        counts = tables[table]
        merged = 1 if table == "users" else 0
        assert counts["source"] == fresh.count(table), (table, counts)
        assert counts["imported"] == counts["source"] - merged and counts["merged"] == merged, (table, counts)
        assert counts["present"] == counts["source"] and counts["skipped"] == 0, (table, counts)

    username = f"alice_{fresh.tag}"
    assert login(gw, username, fresh.passwords[username]).status_code == 401, "a dry run made alice"
    for name in ("progressive", "hls", "failed", "pending"):
        assert video(gw, admin.access_token, fresh[name]["short_id"]).status_code == 404, name
        assert not (Path(required_env("CLIPSET_E2E_STATE_DIR")) / "media" / "videos" / fresh[name].uid).exists(), name
    for name in ("favourites", "picks"):
        assert gw.get(f"/api/playlists/{fresh[name]['short_id']}", token=admin.access_token).status_code == 404
    assert category_named(gw, admin.access_token, fresh["gaming"]["name"]) is None
    invitation = gw.get(f"/api/invitations/validate/{fresh['invitation_open']['token']}").json()
    assert invitation["valid"] is False and invitation["message"] == "Invitation not found", invitation
    users = all_pages(gw, admin.access_token, "/api/users/", 500)
    assert not any(u["id"] in (fresh["alice"].uid, fresh["bob"].uid) for u in users)


def test_a_database_from_the_originals_first_video_release(gw, admin, tmp_path):
    """No short ids, playlists, comments, avatars or category images yet: the video gets the
    exporter's stable short id, the missing tables count 0, and everything else comes in."""
    old = build_phase1_source(tmp_path / "phase1")
    run = run_import(old)
    assert run.returncode == 0, run.describe()
    tables = run.tables()
    for table in ("playlists", "playlist_videos", "comments"):
        assert tables.get(table, {"source": 0})["source"] == 0, (table, tables.get(table))
    assert tables["users"]["imported"] == 1 and tables["users"]["merged"] == 1, tables["users"]
    assert tables["videos"]["imported"] == 1 and tables["categories"]["imported"] == 1, tables
    assert run.problems() == [], run.problems()

    short_id = derived_short_id("video", old["old"].uid)
    username = f"carol_{old.tag}"
    token = login_tokens(gw, username, old.passwords[username])["access_token"]
    body = read_video(gw, token, short_id)
    assert body["id"] == old["old"].uid and body["processing_status"] == "completed", body
    assert body["view_count"] == 11 and body["uploaded_by"] == old["carol"].uid, body
    assert_plays(gw, token, short_id, tmp_path)
    assert_thumbnail(gw, token, short_id, (old.media_root / "thumbnails" / old["old"]["thumbnail_filename"]).read_bytes())
    music = category_named(gw, token, old["music"]["name"])
    assert music and music["slug"] == old["music"]["slug"] and music["created_by"] == admin.id, music
    assert music["description"] is None and music["image_url"] is None and music["updated_at"] is None, music

    again = run_import(old)
    assert again.returncode == 0 and all(c["imported"] == 0 for c in again.tables().values()), again.describe()
