"""The pieces of `scripts/clipset import` that need no running platform: the exporter
(scripts/lib/clipset_export.py) on databases in the original Clipset's schema, old and
current, its refusals, its two helpers (remap-users, report), and the import verb's own
checks (usage, missing files, a platform that is not up).

These run anywhere (`python3 -m pytest Tests/e2e/test_import_export.py`), and also in the
e2e phase of scripts/test; test_import.py runs the whole import on the test platform."""

import json
import re
import sqlite3
import subprocess
import uuid
from pathlib import Path


from import_support import CLIPSET, EXPORTER, build_source, export, rfc3339

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$")

KEYS = {
    "users": {"id", "email", "username", "password_hash", "role", "is_active", "created_at", "avatar_filename",
              "weekly_upload_bytes", "last_upload_reset"},
    "invitations": {"id", "email", "token", "created_by", "created_at", "expires_at", "used", "used_at"},
    "categories": {"id", "name", "slug", "description", "image_filename", "created_by", "created_at", "updated_at"},
    "videos": {"id", "short_id", "title", "description", "filename", "thumbnail_filename", "original_filename",
               "storage_path", "file_size_bytes", "duration_seconds", "uploaded_by", "category_id", "view_count",
               "processing_status", "error_message", "created_at"},
    "playlists": {"id", "short_id", "name", "description", "created_by", "created_at", "updated_at"},
    "playlist_videos": {"id", "playlist_id", "video_id", "position", "added_at", "added_by"},
    "comments": {"id", "video_id", "user_id", "content", "timestamp_seconds", "parent_id", "created_at",
                 "updated_at"},
}
ID_KEYS = {"id", "created_by", "uploaded_by", "category_id", "playlist_id", "video_id", "added_by", "user_id",
           "parent_id"}
TIME_KEYS = {"created_at", "updated_at", "expires_at", "used_at", "added_at", "last_upload_reset"}


def exported(db: Path, tmp_path: Path) -> tuple:
    """(document, stderr) of a successful export."""
    out = tmp_path / "export.json"
    result = export(db, out)
    assert result.returncode == 0, f"export failed: {result.stderr}"
    return json.loads(out.read_text()), result.stderr


def assert_shape(document: dict) -> None:
    assert document["format"] == "clipset-export/1"
    assert set(document) == {"format", "source", *KEYS}, sorted(document)
    for table, keys in KEYS.items():
        for row in document[table]:
            assert set(row) == keys, f"{table} row keys differ: {sorted(set(row) ^ keys)}"
            for key in ID_KEYS & keys:
                assert row[key] is None or UUID_RE.match(row[key]), f"{table}.{key} {row[key]!r}"
            for key in TIME_KEYS & keys:
                assert row[key] is None or DATETIME_RE.match(row[key]), f"{table}.{key} {row[key]!r}"
        order = [((row.get("added_at") if table == "playlist_videos" else row["created_at"]) or "", row["id"])
                 for row in document[table]]
        assert order == sorted(order), f"{table} is not sorted by time then id"


def by_id(document: dict, table: str) -> dict:
    return {row["id"]: row for row in document[table]}


def test_export_of_a_database_in_the_original_schema(tmp_path):
    source = build_source(tmp_path / "source", media=False)
    document, stderr = exported(source.db, tmp_path)
    assert_shape(document)
    assert document["source"] == {"sqlite": str(source.db.resolve())}
    for table in KEYS:
        assert len(document[table]) == source.count(table), table
        assert re.search(rf"^export: {table} {source.count(table)}$", stderr, re.M), stderr

    users = by_id(document, "users")
    admin, alice, bob = (users[source[name].uid] for name in ("admin", "alice", "bob"))
    assert admin["role"] == "admin" and alice["role"] == "user"
    assert alice["username"] == f"alice_{source.tag}" and alice["email"] == f"alice_{source.tag}@example.com"
    assert alice["password_hash"].startswith("$2b$04$") and len(alice["password_hash"]) == 60
    assert alice["is_active"] is True and bob["is_active"] is False
    assert alice["weekly_upload_bytes"] == 123456 and alice["avatar_filename"] == source["alice"]["avatar_filename"]
    assert alice["created_at"] == rfc3339(source["alice"]["created_at"]) == "2024-12-17T10:10:00.123456Z"
    assert admin["avatar_filename"] is None

    invitations = by_id(document, "invitations")
    used = invitations[source["invitation_used"].uid]
    assert used["used"] is True and used["used_at"] == rfc3339(source["invitation_used"]["used_at"])
    assert used["created_by"] == source["admin"].uid
    assert invitations[source["invitation_open"].uid]["used"] is False
    assert invitations[source["invitation_open"].uid]["used_at"] is None

    categories = by_id(document, "categories")
    gaming, cooking = categories[source["gaming"].uid], categories[source["cooking"].uid]
    assert gaming["slug"] == f"gaming-{source.tag}" and gaming["image_filename"] == f"{source['gaming'].uid}.webp"
    assert cooking["updated_at"] is None and cooking["description"] is None

    videos = by_id(document, "videos")
    statuses = {name: videos[source[name].uid]["processing_status"] for name in ("progressive", "hls", "failed", "pending")}
    assert statuses == {"progressive": "completed", "hls": "completed", "failed": "failed", "pending": "pending"}
    progressive = videos[source["progressive"].uid]
    assert progressive["short_id"] == source["progressive"]["short_id"]
    assert progressive["view_count"] == 42 and progressive["duration_seconds"] == 2
    assert progressive["category_id"] == source["gaming"].uid and progressive["uploaded_by"] == source["alice"].uid
    assert progressive["storage_path"] == "/app/data/uploads/videos"
    assert videos[source["failed"].uid]["error_message"] == source["failed"]["error_message"]
    assert videos[source["pending"].uid]["duration_seconds"] is None
    assert videos[source["hls"].uid]["filename"] == source["hls"]["filename"]

    entries = by_id(document, "playlist_videos")
    assert entries[source["entry_hls"].uid]["position"] == 5
    assert entries[source["entry_progressive"].uid]["playlist_id"] == source["favourites"].uid

    comments = by_id(document, "comments")
    reply = comments[source["comment_reply"].uid]
    assert reply["parent_id"] == source["comment_alice"].uid and reply["user_id"] == source["admin"].uid
    assert comments[source["comment_alice"].uid]["timestamp_seconds"] == 1
    assert comments[source["comment_bob"].uid]["timestamp_seconds"] is None
    assert "warning" not in stderr, stderr


def test_export_is_the_same_twice(tmp_path):
    source = build_source(tmp_path / "source", media=False)
    first = export(source.db, tmp_path / "one.json")
    second = export(source.db, tmp_path / "two.json")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()


OLD_SCHEMA = """
CREATE TABLE users (id CHAR(32) PRIMARY KEY, email VARCHAR, username VARCHAR, hashed_password VARCHAR,
                    role VARCHAR, is_active BOOLEAN, created_at DATETIME);
CREATE TABLE invitations (id CHAR(32) PRIMARY KEY, email VARCHAR, token VARCHAR, created_by CHAR(32),
                          created_at DATETIME, expires_at DATETIME, used BOOLEAN);
CREATE TABLE categories (id CHAR(32) PRIMARY KEY, name VARCHAR, created_by CHAR(32), created_at DATETIME);
CREATE TABLE videos (id CHAR(32) PRIMARY KEY, title VARCHAR, filename VARCHAR, original_filename VARCHAR,
                     file_size_bytes BIGINT, duration_seconds FLOAT, uploaded_by CHAR(32), category_id CHAR(32),
                     view_count INTEGER, processing_status VARCHAR, created_at DATETIME);
"""


def test_export_of_an_older_database(tmp_path):
    """Tables and columns an older database lacks read as empty / null (or the documented
    defaults); dashed, upper-case and braced UUIDs, lower-case enum values, 'T' datetimes with an
    offset and float durations are normalised."""
    db = tmp_path / "old.db"
    admin, user = uuid.uuid4(), uuid.uuid4()
    category, video, other_video = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with sqlite3.connect(db) as connection:
        connection.executescript(OLD_SCHEMA)
        connection.execute("INSERT INTO users VALUES (?, 'Root@Example.COM', 'Root', '$2b$12$x', 'admin', 1, "
                           "'2023-01-02 03:04:05')", (str(admin),))
        connection.execute("INSERT INTO users VALUES (?, 'u@example.com', 'u', '$2b$12$y', 'UserRole.USER', '0', "
                           "'2023-01-02T05:04:05+02:00')", ("{" + str(user).upper() + "}",))
        connection.execute("INSERT INTO invitations VALUES (?, 'x@example.com', 't', ?, '2023-01-01 00:00:00', "
                           "'2023-01-08 00:00:00', NULL)", (uuid.uuid4().hex, admin.hex.upper()))
        connection.execute("INSERT INTO categories VALUES (?, '  Hello -- World!  ', ?, '2023-02-01 00:00:00.5')",
                           (category.hex, admin.hex))
        connection.execute("INSERT INTO videos VALUES (?, 'Old', 'a.mp4', 'a.mp4', 10, 12.9, ?, ?, NULL, "
                           "'ProcessingStatus.COMPLETED', '2023-03-01 00:00:00')", (video.hex, user.hex, category.hex))
        connection.execute("INSERT INTO videos VALUES (?, 'Older', 'b.mp4', 'b.mp4', NULL, NULL, ?, NULL, 5, "
                           "NULL, '2023-02-01 00:00:00')", (str(other_video), admin.hex))
    document, stderr = exported(db, tmp_path)
    assert_shape(document)
    assert document["playlists"] == document["playlist_videos"] == document["comments"] == []

    users = by_id(document, "users")
    assert set(users) == {str(admin), str(user)}
    assert users[str(admin)]["email"] == "root@example.com" and users[str(admin)]["username"] == "root"
    assert users[str(admin)]["role"] == "admin" and users[str(user)]["role"] == "user"
    assert users[str(user)]["is_active"] is False and users[str(admin)]["is_active"] is True
    assert users[str(user)]["created_at"] == "2023-01-02T03:04:05Z"  # +02:00 -> UTC
    assert users[str(admin)]["avatar_filename"] is None and users[str(admin)]["last_upload_reset"] is None
    assert users[str(admin)]["weekly_upload_bytes"] == 0

    invitation = document["invitations"][0]
    assert invitation["created_by"] == str(admin) and invitation["used"] is False and invitation["used_at"] is None

    (cat,) = document["categories"]
    assert cat["slug"] == "hello-world" and cat["image_filename"] is None and cat["updated_at"] is None
    assert cat["created_at"] == "2023-02-01T00:00:00.500000Z"

    videos = by_id(document, "videos")
    assert [v["id"] for v in document["videos"]] == [str(other_video), str(video)]  # by created_at
    old = videos[str(video)]
    assert old["processing_status"] == "completed" and old["duration_seconds"] == 12 and old["view_count"] == 0
    assert re.fullmatch(r"[0-9A-Za-z]{10}", old["short_id"]), "a video without a short id gets a stable one"
    assert old["short_id"] != videos[str(other_video)]["short_id"]
    assert old["thumbnail_filename"] is None and old["storage_path"] is None
    assert old["category_id"] == str(category) and old["uploaded_by"] == str(user)
    older = videos[str(other_video)]
    assert older["processing_status"] == "pending" and older["file_size_bytes"] == 0 and older["view_count"] == 5
    assert "export: playlists 0" in stderr and "export: videos 2" in stderr
    again, _ = exported(db, tmp_path)
    assert [v["short_id"] for v in again["videos"]] == [v["short_id"] for v in document["videos"]]


def test_export_warns_about_dangling_references_and_odd_ids(tmp_path):
    db = tmp_path / "odd.db"
    with sqlite3.connect(db) as connection:
        connection.executescript(OLD_SCHEMA)
        connection.execute("INSERT INTO users VALUES ('42', 'a@example.com', 'a', 'h', 'USER', 1, "
                           "'2023-01-02 03:04:05')")
        connection.execute("INSERT INTO videos VALUES (?, 'V', 'v.mp4', 'v.mp4', 1, 1, '42', ?, 0, 'WEIRD', "
                           "'not a date')", (uuid.uuid4().hex, uuid.uuid4().hex))
    document, stderr = exported(db, tmp_path)
    (user,) = document["users"]
    (video,) = document["videos"]
    assert UUID_RE.match(user["id"]) and video["uploaded_by"] == user["id"], "the same odd id maps the same way"
    assert video["processing_status"] == "failed" and "WEIRD" in video["error_message"]
    assert video["created_at"] is None
    assert "'42' is not a UUID" in stderr and "refer through category_id to categories" in stderr, stderr
    assert "not a datetime" in stderr and "exported as failed" in stderr, stderr
    again, _ = exported(db, tmp_path)
    assert again["users"][0]["id"] == user["id"], "the odd id maps to the same uuid every time"


def test_export_refuses_what_is_not_a_clipset_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello, I am not a database\n" * 10)
    empty = tmp_path / "empty.db"
    with sqlite3.connect(empty) as connection:
        connection.execute("CREATE TABLE something (id INTEGER)")
    cases = ((text, "is not an SQLite database"), (empty, "has no users table"),
             (tmp_path / "missing.db", "no such file"))
    for path, message in cases:
        out = tmp_path / "out.json"
        result = export(path, out)
        assert result.returncode == 1, f"{path}: {result.returncode} {result.stderr}"
        assert message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1, f"one clear line, not a traceback: {result.stderr}"
        assert not out.exists()


# --- the helpers of the import verb ------------------------------------------------------------


def helper(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["python3", str(EXPORTER), *args], capture_output=True, text=True, timeout=60)


def test_remap_users_rewrites_every_user_reference_and_drops_merged_users(tmp_path):
    source = build_source(tmp_path / "source", media=False)
    document, _ = exported(source.db, tmp_path)
    clipset_admin = str(uuid.uuid4())
    user_map = tmp_path / "map.json"
    user_map.write_text(json.dumps({source["admin"].uid: clipset_admin}))
    result = helper("remap-users", "--export", str(tmp_path / "export.json"), "--user-map", str(user_map),
                    "--out", str(tmp_path / "mapped.json"))
    assert result.returncode == 0, result.stderr
    mapped = json.loads((tmp_path / "mapped.json").read_text())
    assert mapped["users"] == [u for u in document["users"] if u["id"] != source["admin"].uid], \
        "a merged user is the Clipset account now: only the others stay"
    references = (("invitations", "created_by"), ("categories", "created_by"), ("videos", "uploaded_by"),
                  ("playlists", "created_by"), ("playlist_videos", "added_by"), ("comments", "user_id"))
    rewritten = 0
    for table, column in references:
        for before, after in zip(document[table], mapped[table]):
            if before[column] == source["admin"].uid:
                assert after[column] == clipset_admin, (table, column)
                rewritten += 1
            else:
                assert after[column] == before[column], (table, column)
            assert {k: v for k, v in after.items() if k != column} == {k: v for k, v in before.items() if k != column}
    assert rewritten == 3 + 2 + 1 + 1 + 1 + 1, rewritten
    assert f"{rewritten} user reference(s) rewritten" in result.stderr

    # no map file (a dry run that merged nobody): a plain copy
    result = helper("remap-users", "--export", str(tmp_path / "export.json"), "--user-map",
                    str(tmp_path / "absent.json"), "--out", str(tmp_path / "copy.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "copy.json").read_text()) == document


def counts_file(path: Path, service: str, tables: dict, problems=()) -> Path:
    path.write_text(json.dumps({"service": service, "dry_run": False, "tables": tables, "problems": list(problems)}))
    return path


def row(source, imported=0, existing=0, merged=0, skipped=0, present=None):
    present = imported + existing if present is None else present
    return {"source": source, "imported": imported, "existing": existing, "merged": merged, "skipped": skipped,
            "present": present}


def test_report_prints_one_table_and_says_whether_every_table_is_complete(tmp_path):
    auth = counts_file(tmp_path / "auth.json", "auth", {"users": row(3, imported=2, merged=1, present=3),
                                                        "invitations": row(3, existing=3)})
    social = counts_file(tmp_path / "social.json", "social", {"comments": row(4, imported=3, skipped=1)},
                         ["comment 1234 refers to a video the source lacks: skipped"])
    result = helper("report", str(auth), str(social))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "table" in line and "in Clipset" in line)
    assert [cell.strip() for cell in header.split("|")] == [
        "table", "source", "imported", "already there", "merged", "skipped", "in Clipset"]
    users = next(line for line in lines if line.strip().startswith("users"))
    assert [cell.strip() for cell in users.split("|")] == ["users", "3", "2", "0", "1", "0", "3"]
    assert "social: comment 1234 refers to a video the source lacks: skipped" in result.stdout

    media = counts_file(tmp_path / "media.json", "media", {"videos": row(4, imported=3, present=3)})
    result = helper("report", str(auth), str(social), str(media))
    assert result.returncode == 3, result.stdout
    assert "Incomplete: videos" in result.stdout
    assert "dry run" in helper("report", "--dry-run", str(auth)).stdout


# --- the import verb's own checks ----------------------------------------------------------------


def clipset_import(*args: str, state: Path) -> subprocess.CompletedProcess:
    import os
    env = {**os.environ, "CLIPSET_STATE_DIR": str(state)}
    return subprocess.run([str(CLIPSET), "import", *args], capture_output=True, text=True, env=env, timeout=120)


def test_import_usage_and_missing_inputs(tmp_path):
    state = tmp_path / "state"
    source = build_source(tmp_path / "source", media=False)
    usage = clipset_import(state=state)
    assert usage.returncode == 2 and "usage: scripts/clipset import" in usage.stderr, usage.stderr
    assert clipset_import("--sqlite", str(source.db), "--bogus", state=state).returncode == 2
    missing = clipset_import("--sqlite", str(tmp_path / "nope.db"), "--media-root", str(source.media_root),
                             state=state)
    assert missing.returncode == 1 and "no such file" in missing.stderr, missing.stderr
    no_folder = clipset_import("--sqlite", str(source.db), "--media-root", str(tmp_path / "nope"), state=state)
    assert no_folder.returncode == 1 and "no such folder" in no_folder.stderr, no_folder.stderr


def test_import_refuses_a_platform_that_is_not_up(tmp_path):
    """A state folder where nothing runs: exit 1 before anything is exported or imported."""
    state = tmp_path / "state"
    source = build_source(tmp_path / "source", media=False)
    result = clipset_import("--sqlite", str(source.db), "--media-root", str(source.media_root), state=state)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "is not up" in result.stderr and "auth (down)" in result.stderr, result.stderr
    assert "scripts/clipset up" in result.stderr
    assert not (state / "import").exists(), "nothing is exported for a platform that is not up"
