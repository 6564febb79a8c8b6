"""Helpers of the notify end-to-end tests: the SMTP receiver's inbox, the parts and links of a
message, events published as media and social would, and the in-app notifications API.

- Mail: the test platform runs an SMTP receiver (aiosmtpd) that stores every message it gets as
  one raw file in CLIPSET_TEST_MAIL_DIR (default <CLIPSET_E2E_STATE_DIR>/mail/inbox); tests share
  that inbox, so a test finds its messages by recipient, `X-Clipset-Kind` and `X-Clipset-Event`.
  `inbox()`, `mails(to=, kind=, event=)`, `wait_mail(...)`, `recipient(msg)`, `text_part(msg)`,
  `html_part(msg)`, `links(msg)` / `text_links` / `html_links`, `assert_email(...)`.
- Users: `known_user()` is a fresh registered user whose welcome email arrived, so notify knows
  their address before a test publishes an event about them.
- Events: `video_envelope("processed"|"failed", uploader, ...)`, `comment_envelope(owner, author,
  ...)` build envelopes as media and social publish them; `publish` (auth_events) sends them.
- In-app: `list_notifications(gw, user, **params)`, `wait_notifications(gw, user, count)`,
  `read_one`, `read_all`, `NOTIFICATION_KEYS`, `assert_notification`.
- Preferences: `set_preferences(gw, user, **kinds)`.
"""

import email
import email.policy
import html
import os
import re
import secrets
import uuid
from datetime import datetime, timezone
from pathlib import Path

from auth_client import PUBLIC_URL, Api, User, assert_datetime
from auth_events import envelope, rfc3339
from social_support import new_user
from support import process, required_env, wait_for

MAIL_TIMEOUT = 10
SENDER = "Clipset <no-reply@clipset.local>"
MESSAGE_ID = re.compile(r"^<email-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}@clipset>$")
NOTIFICATION_KEYS = {"id", "kind", "title", "body", "link", "created_at", "read_at", "is_read"}
LIST_KEYS = {"notifications", "total", "unread_count"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


# --- the notify process's settings ----------------------------------------------------------------


def notify_env(name: str, default: str = None) -> str:
    """A variable of the running notify process's environment (/proc/<pid>/environ), else `default`."""
    try:
        pid = process("notify").pid_path.read_text().strip()
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except (OSError, ValueError):
        return default
    for entry in raw.split(b"\0"):
        key, sep, value = entry.decode("utf-8", "replace").partition("=")
        if sep and key == name:
            return value
    return default


def public_url() -> str:
    return (notify_env("PUBLIC_URL") or PUBLIC_URL).rstrip("/")


def sender() -> str:
    return notify_env("MAIL_FROM") or SENDER


def video_link(short_id: str) -> str:
    return f"{public_url()}/v/{short_id}"


# --- the inbox --------------------------------------------------------------------------------------


def mail_dir() -> Path:
    folder = os.environ.get("CLIPSET_TEST_MAIL_DIR")
    return Path(folder) if folder else Path(required_env("CLIPSET_E2E_STATE_DIR")) / "mail" / "inbox"


_parsed = {}


def inbox() -> list:
    """Every message received so far, parsed (policy.default), oldest file first. Hidden
    (temporary) files are skipped; parsed files are cached by name (they never change)."""
    folder = mail_dir()
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if path.name not in _parsed:
            with path.open("rb") as f:
                _parsed[path.name] = email.message_from_binary_file(f, policy=email.policy.default)
        messages.append(_parsed[path.name])
    return messages


def recipient(msg) -> str:
    """The To address (addr-spec only), lower-case."""
    header = msg["To"]
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    return addresses[0].addr_spec.lower() if addresses else str(header or "").strip().lower()


def mails(to: str = None, kind: str = None, event: str = None) -> list:
    """The messages received so far with that recipient, X-Clipset-Kind and X-Clipset-Event."""
    return [
        m for m in inbox()
        if (to is None or recipient(m) == to.lower())
        and (kind is None or str(m.get("X-Clipset-Kind", "")).strip() == kind)
        and (event is None or str(m.get("X-Clipset-Event", "")).strip().lower() == event.lower())
    ]


def describe(messages: list) -> list:
    return [(recipient(m), str(m.get("X-Clipset-Kind")), str(m.get("Subject"))) for m in messages]


def wait_mail(to: str = None, kind: str = None, event: str = None, timeout: float = MAIL_TIMEOUT):
    """The first message that matches, once it arrived; fails after `timeout` seconds."""
    found = wait_for(lambda: next(iter(mails(to, kind, event)), None), timeout, 0.1)
    assert found is not None, \
        f"no {kind or 'email'} to {to} (event {event}) within {timeout} s; last received: {describe(inbox()[-8:])}"
    return found


def wait_mails(count: int, to: str = None, kind: str = None, event: str = None, timeout: float = MAIL_TIMEOUT):
    """At least `count` matching messages, once they arrived."""
    found = wait_for(lambda: len(mails(to, kind, event)) >= count and mails(to, kind, event), timeout, 0.1)
    assert found, f"fewer than {count} {kind or 'email'}s to {to} within {timeout} s: {describe(mails(to, kind, event))}"
    return found


def text_part(msg):
    return msg.get_body(preferencelist=("plain",))


def html_part(msg):
    return msg.get_body(preferencelist=("html",))


def text_of(part) -> str:
    return part.get_content() if part is not None else ""


def text_links(msg) -> list:
    """The URLs written in the plain-text part."""
    return [url.rstrip(".,;:!?") for url in _URL.findall(text_of(text_part(msg)))]


def html_links(msg) -> list:
    """The href targets of the HTML part, HTML entities decoded."""
    return [html.unescape(a or b) for a, b in _HREF.findall(text_of(html_part(msg)))]


def links(msg) -> set:
    return set(text_links(msg)) | set(html_links(msg))


def assert_email(msg, to: str, kind: str, subject: str, link: str) -> None:
    """The message goes to `to`, has the kind header, the subject, the sender, a Message-ID
    <email-<uuid>@clipset>, an event id, both a text/plain and a text/html part, and `link`
    in both parts."""
    assert recipient(msg) == to.lower(), f"To is {msg['To']!r}, not {to}"
    assert str(msg["X-Clipset-Kind"]).strip() == kind, f"X-Clipset-Kind {msg['X-Clipset-Kind']!r}"
    assert str(msg["Subject"]) == subject, f"subject {str(msg['Subject'])!r}, expected {subject!r}"
    assert str(msg["From"]) == sender(), f"From {msg['From']!r}, expected {sender()!r}"
    assert MESSAGE_ID.match(str(msg["Message-ID"]).strip()), f"Message-ID {msg['Message-ID']!r}"
    assert UUID_RE.match(str(msg["X-Clipset-Event"]).strip().lower()), f"X-Clipset-Event {msg['X-Clipset-Event']!r}"
    plain, rich = text_part(msg), html_part(msg)
    assert plain is not None and rich is not None, f"not both text/plain and text/html: {msg.get_content_type()} " \
        f"{[p.get_content_type() for p in msg.walk()]}"
    assert link in text_links(msg), f"{link} is not in the text part: {text_links(msg)}\n{text_of(plain)[:1000]}"
    assert link in html_links(msg), f"{link} is not an href of the HTML part: {html_links(msg)}"


def assert_in_both_parts(msg, text: str) -> None:
    """`text` is in the plain part as is, and in the HTML part once entities are decoded."""
    plain = text_of(text_part(msg))
    assert text in plain, f"{text!r} not in the text part:\n{plain[:1500]}"
    rich = html.unescape(text_of(html_part(msg)))
    assert text in rich, f"{text!r} not in the HTML part:\n{rich[:1500]}"


def event_id(msg) -> str:
    return str(msg["X-Clipset-Event"]).strip().lower()


# --- users --------------------------------------------------------------------------------------------


def known_user(prefix: str = "n") -> User:
    """A fresh user whose welcome email arrived (so notify has their address)."""
    from auth_client import unique_name
    user = new_user(unique_name(prefix))
    wait_mail(to=user.email, kind="welcome")
    return user


def set_preferences(gw: Api, user: User, **kinds) -> dict:
    response = gw.patch("/api/notifications/preferences", json=kinds, token=user.access_token)
    assert response.status_code == 200, f"PATCH preferences: {response.status_code} {response.text[:300]}"
    body = response.json()
    for kind, value in kinds.items():
        assert body.get(kind) is value, f"preference {kind} is not {value}: {body}"
    return body


# --- events as media and social publish them -------------------------------------------------------


def short_id() -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def video_snapshot(uploader: User, title: str, status: str, error: str = None) -> dict:
    return {
        "id": str(uuid.uuid4()), "short_id": short_id(), "title": title, "uploaded_by": uploader.id,
        "category_id": None, "processing_status": status, "thumbnail_filename": None if error else "thumbnail.jpg",
        "duration_seconds": None if error else 2, "error_message": error,
        "created_at": rfc3339(datetime.now(timezone.utc)),
    }


def video_envelope(outcome: str, uploader: User, title: str = None, error: str = "Invalid data found") -> dict:
    """media.video.processed (outcome "processed") or media.video.failed ("failed") for a new video of `uploader`."""
    title = title or f"Clip {secrets.token_hex(4)}"
    if outcome == "processed":
        snapshot = video_snapshot(uploader, title, "completed")
    else:
        snapshot = video_snapshot(uploader, title, "failed", error)
    return envelope(f"media.video.{outcome}", {"video": snapshot}, "media")


def comment_envelope(owner: User, author: User, content: str = "Nice one", title: str = None, video: dict = None,
                     parent_author: User = None) -> dict:
    """social.comment.created: `author` comments on a video of `owner` (a reply to a comment of
    `parent_author` when given)."""
    video = video or {"id": str(uuid.uuid4()), "short_id": short_id(), "title": title or f"Clip {secrets.token_hex(4)}"}
    return envelope("social.comment.created", {
        "comment_id": str(uuid.uuid4()), "video_id": video["id"], "video_short_id": video["short_id"],
        "video_title": video["title"], "video_owner_id": owner.id, "author_id": author.id,
        "author_username": author.username, "content": content, "timestamp_seconds": None,
        "parent_id": str(uuid.uuid4()) if parent_author else None,
        "parent_author_id": parent_author.id if parent_author else None,
    }, "social")


def envelope_video(env: dict) -> dict:
    """{id, short_id, title} of the video an envelope is about."""
    data = env["data"]
    if "video" in data:
        return {k: data["video"][k] for k in ("id", "short_id", "title")}
    return {"id": data["video_id"], "short_id": data["video_short_id"], "title": data["video_title"]}


# --- in-app notifications ------------------------------------------------------------------------------


def list_response(gw: Api, user: User, **params):
    return gw.get("/api/notifications", params=params, token=user.access_token)


def list_notifications(gw: Api, user: User, **params) -> dict:
    """GET /api/notifications as `user` (200), the shape checked."""
    response = list_response(gw, user, **params)
    assert response.status_code == 200, f"GET notifications: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert set(body) == LIST_KEYS, f"list keys: {sorted(body)}"
    assert isinstance(body["total"], int) and isinstance(body["unread_count"], int), body
    for item in body["notifications"]:
        assert_notification(item)
    return body


def wait_notifications(gw: Api, user: User, count: int, timeout: float = MAIL_TIMEOUT) -> dict:
    """The list of `user` once it holds at least `count` notifications."""
    found = wait_for(lambda: (lambda b: b["total"] >= count and b)(list_notifications(gw, user, limit=100)),
                     timeout, 0.2)
    assert found, f"{user.username} has fewer than {count} notifications after {timeout} s: " \
                  f"{list_notifications(gw, user, limit=100)}"
    return found


def assert_notification(item: dict) -> dict:
    assert set(item) == NOTIFICATION_KEYS, f"Notification keys differ: {sorted(set(item) ^ NOTIFICATION_KEYS)}"
    assert UUID_RE.match(item["id"]), item
    assert item["kind"] in ("video_processed", "video_failed", "new_comment", "new_reply"), item
    assert isinstance(item["title"], str) and item["title"], item
    assert isinstance(item["body"], str), item
    assert isinstance(item["is_read"], bool), item
    assert_datetime(item["created_at"], "created_at")
    if item["read_at"] is None:
        assert item["is_read"] is False, item
    else:
        assert_datetime(item["read_at"], "read_at")
        assert item["is_read"] is True, item
    return item


def read_one(gw: Api, user: User, notification_id: str):
    return gw.post(f"/api/notifications/{notification_id}/read", token=user.access_token)


def read_all(gw: Api, user: User):
    return gw.post("/api/notifications/read-all", token=user.access_token)
