"""Helpers of the import tests (test_import.py, test_import_export.py): an original Clipset
built from scratch in the original's own shapes, and `scripts/clipset import` run on it.

`build_source(folder)` writes <folder>/clipset.db, an SQLite database in the schema the
original's SQLAlchemy models create (ids CHAR(32) hex without dashes, naive UTC datetimes
'YYYY-MM-DD HH:MM:SS.ffffff', enums by NAME: role 'ADMIN'/'USER', processing_status
'COMPLETED'..., booleans 0/1), and <folder>/uploads/, the original's data/uploads: real
ffmpeg-made files in videos/ (a progressive `<stem>.mp4`, an HLS folder `<stem>/master.m3u8`
+ `segmentNNN.ts`, a pending upload `<uuid>_<YYYYmmddHHMMSS>.mp4`), thumbnails/<stem>.jpg,
avatars/<user>_<8 hex>.webp and category-images/<id>.webp. Every name that must be unique
on the platform (usernames, emails, category names, short ids) carries a random tag, so two
sources never collide. What was written is returned as a `Source`, whose fields the tests
compare with what the platform answers.

The source:
- users: `admin` (ADMIN; the platform's initial admin has the same username, so it is merged),
  alice_<tag> (active, with an avatar, 123456 weekly upload bytes), bob_<tag> (deactivated);
  alice and bob have bcrypt hashes ($2b$, cost 4) of their passwords.
- invitations: alice's (used), one unused that expires in a week, one that expired.
- categories: "Gaming <tag>" with an image, "Cooking <tag>" without.
- videos (alice's unless said): `progressive` (completed, <stem>.mp4, Gaming, 42 views),
  `hls` (the admin's, completed, <stem>/ HLS, 7 views), `failed` (an error message, its bad
  upload left in videos/), `pending` (its upload waiting in videos/, Cooking).
- playlists: alice's "Favourites" holding hls@5, progressive@2, failed@9 (so the order is
  progressive, hls, failed) and the admin's "Admin picks" holding pending@0.
- comments on `progressive`: alice's at 1 s, the admin's reply to it, bob's top-level one
  without a timestamp (older than alice's).
"""

import json
import os
import secrets
import sqlite3
import string
import subprocess
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLIPSET = REPO / "scripts" / "clipset"
EXPORTER = REPO / "scripts" / "lib" / "clipset_export.py"

# The original's tables, as its SQLAlchemy models create them on SQLite.
SCHEMA = """
CREATE TABLE users (
    id CHAR(32) NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    username VARCHAR(50) NOT NULL UNIQUE,
    hashed_password VARCHAR(255) NOT NULL,
    role VARCHAR(5) NOT NULL,
    is_active BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    weekly_upload_bytes BIGINT NOT NULL,
    last_upload_reset DATETIME NOT NULL,
    avatar_filename VARCHAR(255)
);
CREATE TABLE invitations (
    id CHAR(32) NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    token VARCHAR(255) NOT NULL UNIQUE,
    created_by CHAR(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used BOOLEAN NOT NULL,
    used_at DATETIME
);
CREATE TABLE categories (
    id CHAR(32) NOT NULL PRIMARY KEY,
    name VARCHAR(50) NOT NULL UNIQUE,
    slug VARCHAR(50) NOT NULL UNIQUE,
    description VARCHAR(500),
    image_filename VARCHAR(255),
    created_by CHAR(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME
);
CREATE TABLE videos (
    id CHAR(32) NOT NULL PRIMARY KEY,
    short_id VARCHAR(10) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    description TEXT,
    filename VARCHAR(255) NOT NULL UNIQUE,
    thumbnail_filename VARCHAR(255),
    original_filename VARCHAR(255) NOT NULL,
    storage_path VARCHAR(500),
    file_size_bytes BIGINT NOT NULL,
    duration_seconds INTEGER,
    uploaded_by CHAR(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id CHAR(32) REFERENCES categories (id) ON DELETE SET NULL,
    view_count INTEGER NOT NULL,
    processing_status VARCHAR(10) NOT NULL,
    error_message TEXT,
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_videos_title ON videos (title);
CREATE INDEX ix_videos_processing_status ON videos (processing_status);
CREATE TABLE playlists (
    id CHAR(32) NOT NULL PRIMARY KEY,
    short_id VARCHAR(10) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    created_by CHAR(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_public BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE TABLE playlist_videos (
    id CHAR(32) NOT NULL PRIMARY KEY,
    playlist_id CHAR(32) NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    video_id CHAR(32) NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at DATETIME NOT NULL,
    added_by CHAR(32) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT uq_playlist_video UNIQUE (playlist_id, video_id)
);
CREATE TABLE comments (
    id CHAR(32) NOT NULL PRIMARY KEY,
    video_id CHAR(32) NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    user_id CHAR(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    timestamp_seconds INTEGER,
    parent_id CHAR(32) REFERENCES comments (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE TABLE config (
    id INTEGER NOT NULL PRIMARY KEY,
    max_file_size_bytes BIGINT NOT NULL,
    weekly_upload_limit_bytes BIGINT NOT NULL,
    video_storage_path VARCHAR(500) NOT NULL,
    updated_at DATETIME NOT NULL,
    updated_by CHAR(32) REFERENCES users (id) ON DELETE SET NULL
);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
"""

ALPHABET = string.digits + string.ascii_letters
# When the source's data was made: naive UTC, as the original stored it.
BASE_TIME = datetime(2024, 12, 17, 10, 0, 0, 123456)


def naive(moment: datetime) -> str:
    """The original's SQLite text of a datetime: 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def rfc3339(moment: datetime) -> str:
    """What the export (and the API) make of it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment.microsecond else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(minutes: float) -> datetime:
    return BASE_TIME + timedelta(minutes=minutes)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def short_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def bcrypt_hash(password: str) -> str:
    """A bcrypt hash ($2b$, cost 4) as the original's passlib/bcrypt made them."""
    try:
        import bcrypt  # PyPI bcrypt, when installed
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4, prefix=b"2b")).decode()
    except ImportError:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt  # glibc's libxcrypt does bcrypt ($2b$) on Debian 12
        hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
    assert hashed and hashed.startswith("$2b$04$") and len(hashed) == 60, f"no bcrypt from crypt(3): {hashed!r}"
    return hashed


# --- media files -------------------------------------------------------------------------------


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, timeout=120)


CLIP_INPUT = ("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
              "-t", "2")
CLIP_CODECS = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", "-c:a", "aac")


def make_clip(path: Path) -> Path:
    """A 2 s 320x240 H.264/AAC mp4 (testsrc, CRF 40)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg(*CLIP_INPUT, *CLIP_CODECS, "-movflags", "+faststart", str(path))
    return path


def make_hls(folder: Path) -> Path:
    """The original's HLS output: <folder>/master.m3u8 and segment000.ts... (1 s segments)."""
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg(*CLIP_INPUT, *CLIP_CODECS, "-g", "25", "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
           "-hls_segment_filename", str(folder / "segment%03d.ts"), str(folder / "master.m3u8"))
    return folder


def make_jpeg(path: Path, width: int = 640, height: int = 480) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate=1", "-frames:v", "1", str(path))
    return path


def make_webp(path: Path, size: int, colour: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:size={size}x{size}", "-frames:v", "1", "-c:v", "libwebp",
           "-quality", "85", str(path))
    return path


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- the source -------------------------------------------------------------------------------


@dataclass
class Row:
    """One source row: its table, its UUID and its column values (as written)."""

    table: str
    id: uuid.UUID
    values: dict

    @property
    def uid(self) -> str:
        """The id as the platform and the export write it (dashed, lower-case)."""
        return str(self.id)

    def __getitem__(self, key):
        return self.values[key]


@dataclass
class Source:
    folder: Path
    db: Path
    media_root: Path
    tag: str
    passwords: dict = field(default_factory=dict)  # username -> password
    rows: dict = field(default_factory=dict)  # name -> Row

    def __getitem__(self, name: str) -> Row:
        return self.rows[name]

    def table(self, table: str) -> list:
        return [row for row in self.rows.values() if row.table == table]

    def count(self, table: str) -> int:
        return len(self.table(table))


def insert(connection: sqlite3.Connection, source: Source, key: str, table: str, **values) -> Row:
    """Inserts a row with a fresh id (CHAR(32) hex) and remembers it as `key`."""
    row_id = values.pop("id", None) or new_id()
    stored = {"id": row_id.hex}
    for column, value in values.items():
        if isinstance(value, uuid.UUID):
            value = value.hex
        elif isinstance(value, datetime):
            value = naive(value)
        elif isinstance(value, bool):
            value = int(value)
        stored[column] = value
    columns = ", ".join(stored)
    marks = ", ".join("?" for _ in stored)
    connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(stored.values()))
    row = Row(table, row_id, values)
    source.rows[key] = row
    return row


def build_source(folder: Path, media: bool = True, tag: str = None) -> Source:
    """An original Clipset in `folder` (clipset.db and uploads/); see the module's docstring.
    Without `media` no file is made (the database still names them)."""
    tag = tag or secrets.token_hex(3)
    folder.mkdir(parents=True, exist_ok=True)
    uploads = folder / "uploads"
    for sub in ("videos", "thumbnails", "avatars", "category-images", "temp"):
        (uploads / sub).mkdir(parents=True, exist_ok=True)
    db = folder / "clipset.db"
    if db.exists():
        db.unlink()
    source = Source(folder, db, uploads, tag)
    connection = sqlite3.connect(db)
    try:
        connection.executescript(SCHEMA)
        connection.execute("INSERT INTO alembic_version VALUES ('f1e2d3c4b5a6')")
        fill(connection, source, media)
        connection.commit()
    finally:
        connection.close()
    return source


def fill(connection: sqlite3.Connection, source: Source, media: bool) -> None:
    tag, uploads = source.tag, source.media_root
    storage = "/app/data/uploads/videos"  # where the original ran: not this machine

    # users
    passwords = {"admin": "original-admin-" + tag, f"alice_{tag}": "alice-password-" + tag,
                 f"bob_{tag}": "bob-password-" + tag}
    source.passwords = passwords
    admin = insert(connection, source, "admin", "users", email="admin@clipset.local", username="admin",
                   hashed_password=bcrypt_hash(passwords["admin"]), role="ADMIN", is_active=True,
                   created_at=at(0), weekly_upload_bytes=0, last_upload_reset=at(0), avatar_filename=None)
    alice_id = new_id()
    avatar = f"{alice_id}_{secrets.token_hex(4)}.webp"
    alice = insert(connection, source, "alice", "users", id=alice_id, email=f"Alice_{tag}@Example.com",
                   username=f"Alice_{tag}", hashed_password=bcrypt_hash(passwords[f"alice_{tag}"]), role="USER",
                   is_active=True, created_at=at(10), weekly_upload_bytes=123456, last_upload_reset=at(5),
                   avatar_filename=avatar)
    bob = insert(connection, source, "bob", "users", email=f"bob_{tag}@example.com", username=f"bob_{tag}",
                 hashed_password=bcrypt_hash(passwords[f"bob_{tag}"]), role="USER", is_active=False,
                 created_at=at(20), weekly_upload_bytes=0, last_upload_reset=at(5), avatar_filename=None)
    if media:
        make_webp(uploads / "avatars" / avatar, 256, "red")

    # invitations (expiry relative to now so "unused" is still valid on the platform)
    now = datetime.utcnow().replace(microsecond=0)
    insert(connection, source, "invitation_used", "invitations", email=alice["email"].lower(),
           token=secrets.token_urlsafe(32), created_by=admin.id, created_at=at(5), expires_at=at(5 + 7 * 24 * 60),
           used=True, used_at=at(10))
    insert(connection, source, "invitation_open", "invitations", email=f"carol_{tag}@example.com",
           token=secrets.token_urlsafe(32), created_by=admin.id, created_at=now - timedelta(hours=1),
           expires_at=now + timedelta(days=7), used=False, used_at=None)
    insert(connection, source, "invitation_expired", "invitations", email=f"dave_{tag}@example.com",
           token=secrets.token_urlsafe(32), created_by=admin.id, created_at=at(30), expires_at=at(30 + 7 * 24 * 60),
           used=False, used_at=None)

    # categories
    gaming_id = new_id()
    gaming = insert(connection, source, "gaming", "categories", id=gaming_id, name=f"Gaming {tag}",
                    slug=f"gaming-{tag}", description="Games and play-throughs", image_filename=f"{gaming_id}.webp",
                    created_by=admin.id, created_at=at(40), updated_at=at(41))
    cooking = insert(connection, source, "cooking", "categories", name=f"Cooking {tag}", slug=f"cooking-{tag}",
                     description=None, image_filename=None, created_by=admin.id, created_at=at(42), updated_at=None)
    if media:
        make_webp(uploads / "category-images" / f"{gaming_id}.webp", 400, "blue")

    # videos
    def stem() -> str:
        return str(uuid.uuid4())

    progressive_stem, hls_stem = stem(), stem()
    failed_upload = f"{uuid.uuid4()}_{at(80).strftime('%Y%m%d%H%M%S')}.mov"
    pending_upload = f"{uuid.uuid4()}_{at(90).strftime('%Y%m%d%H%M%S')}.mp4"
    sizes = {"progressive": 0, "hls": 0, "failed": 17, "pending": 0}
    if media:
        sizes["progressive"] = folder_size(make_clip(uploads / "videos" / f"{progressive_stem}.mp4"))
        make_jpeg(uploads / "thumbnails" / f"{progressive_stem}.jpg")
        sizes["hls"] = folder_size(make_hls(uploads / "videos" / hls_stem))
        make_jpeg(uploads / "thumbnails" / f"{hls_stem}.jpg")
        (uploads / "videos" / failed_upload).write_bytes(b"this is no video\n")
        sizes["pending"] = folder_size(make_clip(uploads / "videos" / pending_upload))
    insert(connection, source, "progressive", "videos", short_id=short_id(), title=f"Progressive {tag}",
           description="A finished mp4", filename=f"{progressive_stem}.mp4",
           thumbnail_filename=f"{progressive_stem}.jpg", original_filename="holiday.mp4", storage_path=storage,
           file_size_bytes=sizes["progressive"], duration_seconds=2, uploaded_by=alice.id, category_id=gaming.id,
           view_count=42, processing_status="COMPLETED", error_message=None, created_at=at(60))
    insert(connection, source, "hls", "videos", short_id=short_id(), title=f"HLS {tag}", description=None,
           filename=hls_stem, thumbnail_filename=f"{hls_stem}.jpg", original_filename="talk.mkv", storage_path=storage,
           file_size_bytes=sizes["hls"], duration_seconds=2, uploaded_by=admin.id, category_id=None, view_count=7,
           processing_status="COMPLETED", error_message=None, created_at=at(70))
    insert(connection, source, "failed", "videos", short_id=short_id(), title=f"Failed {tag}", description="Broken",
           filename=failed_upload, thumbnail_filename=None, original_filename="broken.mov", storage_path=storage,
           file_size_bytes=sizes["failed"], duration_seconds=None, uploaded_by=alice.id, category_id=None,
           view_count=3, processing_status="FAILED",
           error_message="Invalid video file: ffprobe could not read the stream", created_at=at(80))
    insert(connection, source, "pending", "videos", short_id=short_id(), title=f"Pending {tag}",
           description="Waiting for its turn", filename=pending_upload, thumbnail_filename=None,
           original_filename="later.mp4", storage_path=storage, file_size_bytes=sizes["pending"],
           duration_seconds=None, uploaded_by=alice.id, category_id=cooking.id, view_count=0,
           processing_status="PENDING", error_message=None, created_at=at(90))

    # playlists: positions out of order and with gaps
    favourites = insert(connection, source, "favourites", "playlists", short_id=short_id(), name=f"Favourites {tag}",
                        description="The best ones", created_by=alice.id, is_public=True, created_at=at(100),
                        updated_at=at(103))
    picks = insert(connection, source, "picks", "playlists", short_id=short_id(), name=f"Admin picks {tag}",
                   description=None, created_by=admin.id, is_public=False, created_at=at(110), updated_at=at(110))
    insert(connection, source, "entry_hls", "playlist_videos", playlist_id=favourites.id,
           video_id=source["hls"].id, position=5, added_at=at(101), added_by=alice.id)
    insert(connection, source, "entry_progressive", "playlist_videos", playlist_id=favourites.id,
           video_id=source["progressive"].id, position=2, added_at=at(102), added_by=alice.id)
    insert(connection, source, "entry_failed", "playlist_videos", playlist_id=favourites.id,
           video_id=source["failed"].id, position=9, added_at=at(103), added_by=alice.id)
    insert(connection, source, "entry_pending", "playlist_videos", playlist_id=picks.id,
           video_id=source["pending"].id, position=0, added_at=at(111), added_by=admin.id)

    # comments on the progressive video
    progressive = source["progressive"]
    bob_comment = insert(connection, source, "comment_bob", "comments", video_id=progressive.id, user_id=bob.id,
                         content="First!", timestamp_seconds=None, parent_id=None, created_at=at(119),
                         updated_at=at(119))
    top = insert(connection, source, "comment_alice", "comments", video_id=progressive.id, user_id=alice.id,
                 content="Look at the colours here", timestamp_seconds=1, parent_id=None, created_at=at(120),
                 updated_at=at(125))
    insert(connection, source, "comment_reply", "comments", video_id=progressive.id, user_id=admin.id,
           content="Nice catch", timestamp_seconds=None, parent_id=top.id, created_at=at(130), updated_at=at(130))
    assert bob_comment

    connection.execute("INSERT INTO config VALUES (1, 2147483648, 4294967296, ?, ?, ?)",
                       (storage, naive(at(1)), admin.id.hex))


# --- an older original --------------------------------------------------------------------------

# The schema of the original's first video release (phase 1: no short ids, no playlists, no
# comments, no avatars, no category images or descriptions, no storage path).
PHASE1_SCHEMA = """
CREATE TABLE users (
    id CHAR(32) NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, username VARCHAR(50) NOT NULL UNIQUE,
    hashed_password VARCHAR(255) NOT NULL, role VARCHAR(5) NOT NULL, is_active BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL, weekly_upload_bytes BIGINT NOT NULL, last_upload_reset DATETIME NOT NULL
);
CREATE TABLE invitations (
    id CHAR(32) NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL, token VARCHAR(255) NOT NULL UNIQUE,
    created_by CHAR(32) NOT NULL, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL, used BOOLEAN NOT NULL,
    used_at DATETIME
);
CREATE TABLE categories (
    id CHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE, slug VARCHAR(50) NOT NULL UNIQUE,
    created_by CHAR(32) NOT NULL, created_at DATETIME NOT NULL
);
CREATE TABLE videos (
    id CHAR(32) NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL, description TEXT,
    filename VARCHAR(255) NOT NULL UNIQUE, thumbnail_filename VARCHAR(255), original_filename VARCHAR(255) NOT NULL,
    file_size_bytes BIGINT NOT NULL, duration_seconds INTEGER, uploaded_by CHAR(32) NOT NULL, category_id CHAR(32),
    view_count INTEGER NOT NULL, processing_status VARCHAR(10) NOT NULL, error_message TEXT, created_at DATETIME NOT NULL
);
CREATE TABLE config (
    id INTEGER NOT NULL PRIMARY KEY, max_file_size_bytes BIGINT NOT NULL, weekly_upload_limit_bytes BIGINT NOT NULL,
    video_storage_path VARCHAR(500) NOT NULL, updated_at DATETIME NOT NULL, updated_by CHAR(32)
);
"""


def build_phase1_source(folder: Path, tag: str = None) -> Source:
    """An original from its first video release (PHASE1_SCHEMA): `admin` and carol_<tag>, the
    category "Music <tag>", and carol's completed progressive video `old` with its thumbnail."""
    tag = tag or secrets.token_hex(3)
    uploads = folder / "uploads"
    for sub in ("videos", "thumbnails"):
        (uploads / sub).mkdir(parents=True, exist_ok=True)
    db = folder / "clipset.db"
    source = Source(folder, db, uploads, tag)
    source.passwords = {"admin": "original-admin-" + tag, f"carol_{tag}": "carol-password-" + tag}
    stem = str(uuid.uuid4())
    size = folder_size(make_clip(uploads / "videos" / f"{stem}.mp4"))
    make_jpeg(uploads / "thumbnails" / f"{stem}.jpg")
    connection = sqlite3.connect(db)
    try:
        connection.executescript(PHASE1_SCHEMA)
        admin = insert(connection, source, "admin", "users", email="admin@clipset.local", username="admin",
                       hashed_password=bcrypt_hash(source.passwords["admin"]), role="ADMIN", is_active=True,
                       created_at=at(0), weekly_upload_bytes=0, last_upload_reset=at(0))
        carol = insert(connection, source, "carol", "users", email=f"carol_{tag}@example.com", username=f"carol_{tag}",
                       hashed_password=bcrypt_hash(source.passwords[f"carol_{tag}"]), role="USER", is_active=True,
                       created_at=at(1), weekly_upload_bytes=size, last_upload_reset=at(0))
        music = insert(connection, source, "music", "categories", name=f"Music {tag}", slug=f"music-{tag}",
                       created_by=admin.id, created_at=at(2))
        insert(connection, source, "old", "videos", title=f"Old times {tag}", description=None,
               filename=f"{stem}.mp4", thumbnail_filename=f"{stem}.jpg", original_filename="old.mp4",
               file_size_bytes=size, duration_seconds=2, uploaded_by=carol.id, category_id=music.id, view_count=11,
               processing_status="COMPLETED", error_message=None, created_at=at(3))
        connection.commit()
    finally:
        connection.close()
    return source


def derived_short_id(kind: str, row_id: str) -> str:
    """The short id the exporter gives a row that has none (its own function)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("clipset_export", EXPORTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.derived_short_id(kind, row_id)


# --- running the import -----------------------------------------------------------------------


@dataclass
class ImportRun:
    returncode: int
    stdout: str
    stderr: str
    run_dir: Path  # <state>/import/<run> (None when the run made none)

    def counts(self) -> dict:
        """service -> its IMPORT-COUNTS document."""
        result = {}
        for service in ("auth", "social", "media"):
            path = self.run_dir / f"{service}.counts.json" if self.run_dir else None
            if path and path.exists():
                result[service] = json.loads(path.read_text())
        return result

    def tables(self) -> dict:
        """table -> its counts, over the three services."""
        tables = {}
        for report in self.counts().values():
            tables.update(report.get("tables") or {})
        return tables

    def problems(self) -> list:
        return [problem for report in self.counts().values() for problem in report.get("problems") or []]

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout ---\n{self.stdout[-6000:]}\n--- stderr ---\n{self.stderr[-6000:]}"


def run_import(source: Source, *extra: str, env: dict = None, timeout: float = 600) -> ImportRun:
    """`scripts/clipset import --sqlite <db> --media-root <uploads> EXTRA...` with the caller's
    environment (under scripts/test: the test platform's settings)."""
    environment = dict(os.environ if env is None else env)
    state = Path(environment.get("CLIPSET_STATE_DIR") or REPO / ".local")
    imports = state / "import"
    before = set(imports.iterdir()) if imports.is_dir() else set()
    result = subprocess.run([str(CLIPSET), "import", "--sqlite", str(source.db), "--media-root",
                             str(source.media_root), *extra], capture_output=True, text=True, env=environment,
                            timeout=timeout, cwd=REPO)
    after = set(imports.iterdir()) if imports.is_dir() else set()
    made = sorted(after - before)
    return ImportRun(result.returncode, result.stdout, result.stderr, made[-1] if made else None)


def export(db: Path, out: Path) -> subprocess.CompletedProcess:
    """`python3 scripts/lib/clipset_export.py --sqlite DB --out OUT`."""
    return subprocess.run(["python3", str(EXPORTER), "--sqlite", str(db), "--out", str(out)], capture_output=True,
                          text=True, timeout=60)
