#!/usr/bin/env python3
"""Reads an original Clipset SQLite database (the FastAPI/SQLAlchemy app) and writes
one normalised JSON document that the services' `import` subcommands read.

    python3 scripts/lib/clipset_export.py --sqlite PATH --out FILE

writes (atomically) {"format": "clipset-export/1", "source": {"sqlite": <abs path>},
"users": [...], "invitations": [...], "categories": [...], "videos": [...],
"playlists": [...], "playlist_videos": [...], "comments": [...]} and prints one line
per table (`export: <table> <rows>`) and any warnings to stderr. Exit status: 0
written; 1 the file is missing, is not an SQLite database, lacks the users table,
or cannot be read or written; 2 usage.

Normalisations (the original stored what SQLAlchemy on SQLite stores):
- ids: CHAR(32) hex, dashed, braced or upper-case UUIDs and 16-byte blobs become
  lower-case dashed UUIDs. Anything else becomes a stable uuid5 of its text (warned),
  applied the same way to every reference, so a rerun maps it to the same id.
- datetimes: naive 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC), ISO 8601 with 'T' or an
  offset (converted to UTC), and unix seconds become RFC 3339 UTC with 'Z': six
  fraction digits when the value has a fraction, none otherwise. Unparseable: null
  (warned).
- emails and usernames trimmed and lower-cased; role 'ADMIN'/'admin'/'UserRole.ADMIN'
  -> "admin", anything else "user"; booleans 0/1/'true'/'false' (null -> is_active
  true, used false).
- processing_status 'COMPLETED'/'completed'/'ProcessingStatus.COMPLETED' -> "completed"
  (null -> "pending"; an unknown value -> "failed" with an error message saying so).
- integers: file_size_bytes, view_count, weekly_upload_bytes, position default 0;
  duration_seconds and timestamp_seconds floored, null stays null.
- a category without a slug gets the original's slug of its name; a playlist or
  comment without updated_at gets its created_at; a video or playlist without a short id
  (databases older than short ids) gets a stable one derived from its id (10 characters of
  0-9a-zA-Z, the same on every export, so a rerun finds it).
- tables or columns an older database lacks: no rows / null.
- rows sorted by created_at (playlist_videos: added_at), then id; nulls first.

The script also has two helpers of `scripts/clipset import` (not part of the export):

    clipset_export.py remap-users --export IN --user-map MAP --out OUT
        rewrites every user reference (invitations.created_by, categories.created_by,
        videos.uploaded_by, playlists.created_by, playlist_videos.added_by,
        comments.user_id) through MAP ({"<source id>": "<clipset id>"}); merged users leave
        `users` (their Clipset account keeps its own name and upload counter).
    clipset_export.py report [--dry-run] COUNTS-FILE...
        prints the table of the services' IMPORT-COUNTS documents; exit 0 when every
        table is complete (in Clipset == source - skipped; "in Clipset" counts merged rows,
        which exist as the Clipset row they were merged into), 3 otherwise.
"""

import argparse
import hashlib
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import uuid
from datetime import datetime, timedelta, timezone

FORMAT = "clipset-export/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Namespace of the uuid5 ids given to source ids that are not UUIDs.
FALLBACK_NAMESPACE = uuid.UUID("6b1c0d7e-2f55-4c1a-9d0e-8a4f3b7c2e91")

TABLES = ("users", "invitations", "categories", "videos", "playlists", "playlist_videos", "comments")
STATUSES = ("pending", "processing", "completed", "failed")
USER_REFERENCES = (
    ("invitations", "created_by"), ("categories", "created_by"), ("videos", "uploaded_by"),
    ("playlists", "created_by"), ("playlist_videos", "added_by"), ("comments", "user_id"),
)


class ExportError(Exception):
    """A source that cannot be exported; the message says why."""


class Source:
    """One table of the source database: its rows as dicts, missing columns read as None."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.warnings = []
        self._ids = {}

    def tables(self) -> set:
        rows = self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {row[0] for row in rows}

    def rows(self, table: str) -> list:
        if table not in self.tables():
            return []
        columns = [row[1] for row in self.connection.execute(f'PRAGMA table_info("{table}")')]
        cursor = self.connection.execute(f'SELECT * FROM "{table}"')
        names = [description[0] for description in cursor.description]
        result = []
        for values in cursor:
            row = {name: None for name in columns}
            row.update(zip(names, values))
            result.append(row)
        return result

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # --- values ---------------------------------------------------------------------------------

    def id(self, value, what: str):
        """A lower-case dashed UUID for a source id (None stays None)."""
        if value is None:
            return None
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
            if len(raw) == 16:
                return str(uuid.UUID(bytes=raw))
            value = raw.decode("utf-8", errors="replace")
        text = str(value).strip()
        if text == "":
            return None
        try:
            return str(uuid.UUID(text))
        except ValueError:
            pass
        if text not in self._ids:
            self._ids[text] = str(uuid.uuid5(FALLBACK_NAMESPACE, text))
            self.warn(f"{what} {text!r} is not a UUID: exported as {self._ids[text]}")
        return self._ids[text]

    def datetime(self, value, what: str):
        """RFC 3339 UTC with Z, or None."""
        if value is None:
            return None
        if isinstance(value, (bytes, bytearray, memoryview)):
            value = bytes(value).decode("utf-8", errors="replace")
        parsed = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isfinite(value):
                parsed = datetime.fromtimestamp(value, timezone.utc)
        else:
            text = str(value).strip()
            if text == "":
                return None
            parsed = parse_datetime_text(text)
        if parsed is None:
            self.warn(f"{what} {value!r} is not a datetime: exported as null")
            return None
        return format_datetime(parsed)


def parse_datetime_text(text: str):
    """A timezone-aware UTC datetime from SQLite's text forms, or None."""
    match = re.fullmatch(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
        r"\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?", text)
    if not match:
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            try:
                return datetime.fromtimestamp(float(text), timezone.utc)
            except (OverflowError, OSError, ValueError):
                return None
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        parsed = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                          micro, tzinfo=timezone.utc)
    except ValueError:
        return None
    if zone and zone not in ("Z", "z", "UTC"):
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset_minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        parsed = parsed - sign * timedelta(minutes=offset_minutes)
    return parsed


def format_datetime(value: datetime) -> str:
    value = value.astimezone(timezone.utc)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value):
    """A string, or None (bytes decoded as UTF-8)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def lower_text(value):
    value = text(value)
    return None if value is None else value.strip().lower()


def boolean(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("1", "true", "t", "yes", "y"):
            return True
        if word in ("0", "false", "f", "no", "n", ""):
            return False
        return default
    return bool(value)


def integer(value, default):
    """An int (floats floored, numeric strings read), or `default`."""
    if value is None or isinstance(value, bool):
        return default if value is None else int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(text(value).strip()) if not isinstance(value, float) else value
    except ValueError:
        return default
    if not math.isfinite(number):
        return default
    return int(math.floor(number))


def enum_name(value) -> str:
    """'ProcessingStatus.COMPLETED' / 'COMPLETED' / 'completed' -> 'completed'."""
    word = (text(value) or "").strip()
    return word.rsplit(".", 1)[-1].lower()


SHORT_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def derived_short_id(kind: str, row_id: str) -> str:
    """A stable short id (10 of 0-9a-zA-Z) for a row that has none, from its id."""
    number = int.from_bytes(hashlib.sha256(f"clipset-short-id:{kind}:{row_id}".encode()).digest(), "big")
    digits = []
    for _ in range(10):
        number, digit = divmod(number, 62)
        digits.append(SHORT_ID_ALPHABET[digit])
    return "".join(digits)


def slugify(name: str) -> str:
    """The original's slug: lower-case; characters other than letters, digits, underscore,
    space and hyphen dropped; runs of spaces/hyphens -> one '-'; '-' stripped at both ends."""
    slug = name.lower().strip()
    slug = re.sub(r"[^\w\s-]", "", slug)
    slug = re.sub(r"[\s-]+", "-", slug)
    return slug.strip("-")


# --- tables -------------------------------------------------------------------------------------


def export_users(source: Source) -> list:
    users = []
    for row in source.rows("users"):
        role = enum_name(row.get("role"))
        users.append({
            "id": source.id(row.get("id"), "users.id"),
            "email": lower_text(row.get("email")),
            "username": lower_text(row.get("username")),
            "password_hash": text(row.get("hashed_password")),
            "role": "admin" if role == "admin" else "user",
            "is_active": boolean(row.get("is_active"), True),
            "created_at": source.datetime(row.get("created_at"), "users.created_at"),
            "avatar_filename": text(row.get("avatar_filename")) or None,
            "weekly_upload_bytes": integer(row.get("weekly_upload_bytes"), 0),
            "last_upload_reset": source.datetime(row.get("last_upload_reset"), "users.last_upload_reset"),
        })
    return users


def export_invitations(source: Source) -> list:
    return [{
        "id": source.id(row.get("id"), "invitations.id"),
        "email": lower_text(row.get("email")),
        "token": text(row.get("token")),
        "created_by": source.id(row.get("created_by"), "invitations.created_by"),
        "created_at": source.datetime(row.get("created_at"), "invitations.created_at"),
        "expires_at": source.datetime(row.get("expires_at"), "invitations.expires_at"),
        "used": boolean(row.get("used"), False),
        "used_at": source.datetime(row.get("used_at"), "invitations.used_at"),
    } for row in source.rows("invitations")]


def export_categories(source: Source) -> list:
    categories = []
    for row in source.rows("categories"):
        name = text(row.get("name"))
        slug = text(row.get("slug"))
        if not slug and name:
            slug = slugify(name)
        categories.append({
            "id": source.id(row.get("id"), "categories.id"),
            "name": name,
            "slug": slug,
            "description": text(row.get("description")),
            "image_filename": text(row.get("image_filename")) or None,
            "created_by": source.id(row.get("created_by"), "categories.created_by"),
            "created_at": source.datetime(row.get("created_at"), "categories.created_at"),
            "updated_at": source.datetime(row.get("updated_at"), "categories.updated_at"),
        })
    return categories


def export_videos(source: Source) -> list:
    videos = []
    for row in source.rows("videos"):
        status = enum_name(row.get("processing_status")) or "pending"
        error = text(row.get("error_message"))
        if status not in STATUSES:
            source.warn(f"video {row.get('id')!r} has processing_status {row.get('processing_status')!r}: "
                        "exported as failed")
            error = error or f"Unknown processing status in the imported database: {row.get('processing_status')}"
            status = "failed"
        video_id = source.id(row.get("id"), "videos.id")
        videos.append({
            "id": video_id,
            "short_id": text(row.get("short_id")) or (video_id and derived_short_id("video", video_id)),
            "title": text(row.get("title")),
            "description": text(row.get("description")),
            "filename": text(row.get("filename")),
            "thumbnail_filename": text(row.get("thumbnail_filename")) or None,
            "original_filename": text(row.get("original_filename")),
            "storage_path": text(row.get("storage_path")),
            "file_size_bytes": integer(row.get("file_size_bytes"), 0),
            "duration_seconds": integer(row.get("duration_seconds"), None),
            "uploaded_by": source.id(row.get("uploaded_by"), "videos.uploaded_by"),
            "category_id": source.id(row.get("category_id"), "videos.category_id"),
            "view_count": integer(row.get("view_count"), 0),
            "processing_status": status,
            "error_message": error,
            "created_at": source.datetime(row.get("created_at"), "videos.created_at"),
        })
    return videos


def export_playlists(source: Source) -> list:
    playlists = []
    for row in source.rows("playlists"):
        created = source.datetime(row.get("created_at"), "playlists.created_at")
        playlist_id = source.id(row.get("id"), "playlists.id")
        playlists.append({
            "id": playlist_id,
            "short_id": text(row.get("short_id")) or (playlist_id and derived_short_id("playlist", playlist_id)),
            "name": text(row.get("name")),
            "description": text(row.get("description")),
            "created_by": source.id(row.get("created_by"), "playlists.created_by"),
            "created_at": created,
            "updated_at": source.datetime(row.get("updated_at"), "playlists.updated_at") or created,
        })
    return playlists


def export_playlist_videos(source: Source) -> list:
    return [{
        "id": source.id(row.get("id"), "playlist_videos.id"),
        "playlist_id": source.id(row.get("playlist_id"), "playlist_videos.playlist_id"),
        "video_id": source.id(row.get("video_id"), "playlist_videos.video_id"),
        "position": integer(row.get("position"), 0),
        "added_at": source.datetime(row.get("added_at"), "playlist_videos.added_at"),
        "added_by": source.id(row.get("added_by"), "playlist_videos.added_by"),
    } for row in source.rows("playlist_videos")]


def export_comments(source: Source) -> list:
    comments = []
    for row in source.rows("comments"):
        created = source.datetime(row.get("created_at"), "comments.created_at")
        comments.append({
            "id": source.id(row.get("id"), "comments.id"),
            "video_id": source.id(row.get("video_id"), "comments.video_id"),
            "user_id": source.id(row.get("user_id"), "comments.user_id"),
            "content": text(row.get("content")),
            "timestamp_seconds": integer(row.get("timestamp_seconds"), None),
            "parent_id": source.id(row.get("parent_id"), "comments.parent_id"),
            "created_at": created,
            "updated_at": source.datetime(row.get("updated_at"), "comments.updated_at") or created,
        })
    return comments


def sort_rows(rows: list, time_key: str) -> list:
    return sorted(rows, key=lambda row: (row[time_key] or "", row["id"] or ""))


def check_references(document: dict, source: Source) -> None:
    """Warns about references to rows the source does not have (SQLite rarely enforced them)."""
    ids = {table: {row["id"] for row in document[table]} for table in TABLES}
    checks = (
        ("invitations", "created_by", "users"), ("categories", "created_by", "users"),
        ("videos", "uploaded_by", "users"), ("videos", "category_id", "categories"),
        ("playlists", "created_by", "users"), ("playlist_videos", "playlist_id", "playlists"),
        ("playlist_videos", "video_id", "videos"), ("playlist_videos", "added_by", "users"),
        ("comments", "video_id", "videos"), ("comments", "user_id", "users"), ("comments", "parent_id", "comments"),
    )
    for table, column, target in checks:
        dangling = [row for row in document[table] if row[column] is not None and row[column] not in ids[target]]
        if dangling:
            source.warn(f"{len(dangling)} {table} row(s) refer through {column} to {target} the source lacks "
                        f"(first: {dangling[0]['id']})")


def open_source(path: str) -> sqlite3.Connection:
    if not os.path.isfile(path):
        raise ExportError(f"{path}: no such file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise ExportError(f"{path}: cannot read it: {error.strerror}") from error
    if header != SQLITE_MAGIC:
        raise ExportError(f"{path} is not an SQLite database")
    try:
        connection = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        raise ExportError(f"{path} is not a readable SQLite database: {error}") from error
    return connection


def export(path: str) -> tuple:
    """(document, warnings) of the database at `path`."""
    connection = open_source(path)
    try:
        source = Source(connection)
        try:
            if "users" not in source.tables():
                raise ExportError(f"{path} has no users table: not a Clipset database")
            document = {
                "format": FORMAT,
                "source": {"sqlite": os.path.abspath(path)},
                "users": sort_rows(export_users(source), "created_at"),
                "invitations": sort_rows(export_invitations(source), "created_at"),
                "categories": sort_rows(export_categories(source), "created_at"),
                "videos": sort_rows(export_videos(source), "created_at"),
                "playlists": sort_rows(export_playlists(source), "created_at"),
                "playlist_videos": sort_rows(export_playlist_videos(source), "added_at"),
                "comments": sort_rows(export_comments(source), "created_at"),
            }
        except sqlite3.Error as error:
            raise ExportError(f"{path}: cannot read it: {error}") from error
        check_references(document, source)
        return document, source.warnings
    finally:
        connection.close()


def write_json(document: dict, out: str) -> None:
    """Writes `document` to `out` atomically (a temporary file renamed over it)."""
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
        os.replace(temporary, out)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main_export(argv: list) -> int:
    parser = argparse.ArgumentParser(prog="clipset_export.py",
                                     description="Export an original Clipset SQLite database as JSON.")
    parser.add_argument("--sqlite", required=True, help="the original's database file (data/clipset.db)")
    parser.add_argument("--out", required=True, help="the JSON file to write")
    args = parser.parse_args(argv)
    try:
        document, warnings = export(args.sqlite)
        write_json(document, args.out)
    except ExportError as error:
        print(f"export: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"export: error: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"export: warning: {warning}", file=sys.stderr)
    for table in TABLES:
        print(f"export: {table} {len(document[table])}", file=sys.stderr)
    return 0


# --- helpers of `scripts/clipset import` ------------------------------------------------------------


def main_remap(argv: list) -> int:
    parser = argparse.ArgumentParser(prog="clipset_export.py remap-users")
    parser.add_argument("--export", required=True)
    parser.add_argument("--user-map", required=True, help="JSON {source user id: clipset user id}; may be absent")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    try:
        with open(args.export, encoding="utf-8") as stream:
            document = json.load(stream)
        mapping = {}
        if os.path.exists(args.user_map) and os.path.getsize(args.user_map) > 0:
            with open(args.user_map, encoding="utf-8") as stream:
                mapping = json.load(stream)
    except (OSError, ValueError) as error:
        print(f"import: error: cannot read the export or the user map: {error}", file=sys.stderr)
        return 1
    if not isinstance(mapping, dict):
        print(f"import: error: {args.user_map} is not a JSON object", file=sys.stderr)
        return 1
    mapping = {str(uuid.UUID(str(k))): str(uuid.UUID(str(v))) for k, v in mapping.items()}
    changed = 0
    for table, column in USER_REFERENCES:
        for row in document.get(table, []):
            if row.get(column) in mapping and mapping[row[column]] != row[column]:
                row[column] = mapping[row[column]]
                changed += 1
    document["users"] = [user for user in document.get("users", []) if user.get("id") not in mapping]
    write_json(document, args.out)
    print(f"import: {len(mapping)} merged user(s), {changed} user reference(s) rewritten", file=sys.stderr)
    return 0


REPORT_COLUMNS = ("table", "source", "imported", "already there", "merged", "skipped", "in Clipset")
COUNT_KEYS = ("source", "imported", "existing", "merged", "skipped", "present")


def complete(counts: dict) -> bool:
    """Every source row is in Clipset (merged ones as the row they were merged into) unless it
    was skipped, which the service reports as a problem."""
    return counts["present"] == counts["source"] - counts["skipped"]


def main_report(argv: list) -> int:
    parser = argparse.ArgumentParser(prog="clipset_export.py report")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("counts", nargs="+", help="files holding one IMPORT-COUNTS JSON document each")
    args = parser.parse_args(argv)
    rows, problems, incomplete = [], [], []
    for path in args.counts:
        with open(path, encoding="utf-8") as stream:
            report = json.load(stream)
        service = report.get("service", os.path.basename(path))
        for table, values in (report.get("tables") or {}).items():
            counts = {key: integer(values.get(key), 0) for key in COUNT_KEYS}
            rows.append((table, counts))
            if not complete(counts):
                incomplete.append(table)
        problems += [f"{service}: {problem}" for problem in report.get("problems") or []]
    rows.sort(key=lambda item: (TABLES.index(item[0]) if item[0] in TABLES else len(TABLES), item[0]))
    cells = [REPORT_COLUMNS] + [(table, *(str(counts[key]) for key in COUNT_KEYS)) for table, counts in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(REPORT_COLUMNS))]
    print()
    print("Import" + (" (dry run: what it would do)" if args.dry_run else "") + ":")
    for index, row in enumerate(cells):
        print("  " + " | ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                                for i, cell in enumerate(row)))
        if index == 0:
            print("  " + "-+-".join("-" * width for width in widths))
    if problems:
        print(f"Problems ({len(problems)}):")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("Problems: none")
    if incomplete:
        print("Incomplete: " + ", ".join(incomplete) + " (in Clipset differs from source - skipped)")
        return 3
    return 0


def main(argv: list) -> int:
    if argv and argv[0] == "remap-users":
        return main_remap(argv[1:])
    if argv and argv[0] == "report":
        return main_report(argv[1:])
    return main_export(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
