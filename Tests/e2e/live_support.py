"""A Server-Sent Events client for GET /api/events, for the live-stream end-to-end tests.

`LiveStream(url, token=..., last_event_id=..., query_token=False)` opens the stream (through the
gateway by default) and parses it on a thread into events: dicts with `event` (the name, "message"
when none), `id` (int or None), `data` (parsed JSON, or the raw text), `retry`, and comments as
{"comment": text}. `next(name, where=, timeout=)` waits for the next event of that name (passing
over others, which stay in `seen`); `expect_none(name, where=, within=)` checks none arrives.
`ready` is the opening `ready` event (with `last_event_id`). Use it as a context manager.

`progress_envelope(user, video_id, progress)` builds a media.job.progress envelope as media's
workers publish it (transient); `video_status_envelope(kind, user, ...)` the durable media events.
"""

import json
import queue
import threading
import time
import uuid

import requests

from auth_events import envelope
from notify_support import video_snapshot

TIMEOUT = 10


class LiveStream:
    def __init__(self, base_url: str, token: str = None, last_event_id=None, query_token: bool = False,
                 headers: dict = None):
        self.url = base_url.rstrip("/") + "/api/events"
        request_headers = {"Accept": "text/event-stream", **(headers or {})}
        params = {}
        if token and query_token:
            params["token"] = token
        elif token:
            request_headers["Authorization"] = f"Bearer {token}"
        if last_event_id is not None:
            request_headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(self.url, headers=request_headers, params=params, stream=True, timeout=(5, 15))
        self.status = self.response.status_code
        self.headers = self.response.headers
        self.seen = []
        self.comments = []
        self.retry = None
        self.closed = threading.Event()
        self._queue = queue.Queue()
        self.ready = None
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
            self.ready = self.next("ready")

    # --- reading -------------------------------------------------------------------------------

    def _read(self):
        fields = {}
        buffer = b""
        try:
            for chunk in self.response.iter_content(chunk_size=None):
                buffer += chunk
                while b"\n" in buffer:
                    raw, buffer = buffer.split(b"\n", 1)
                    line = raw.decode("utf-8").rstrip("\r")
                    if line == "":
                        if fields:
                            self._dispatch(fields)
                        fields = {}
                    elif line.startswith(":"):
                        self.comments.append(line[1:].strip())
                    else:
                        name, _, value = line.partition(":")
                        fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
        except (requests.RequestException, OSError, AttributeError, ValueError):
            pass
        finally:
            self.closed.set()
            self._queue.put(None)

    def _dispatch(self, fields: dict):
        if "retry" in fields:
            self.retry = int(fields["retry"][-1])
        if "data" not in fields:
            return
        text = "\n".join(fields["data"])
        try:
            data = json.loads(text)
        except ValueError:
            data = text
        event_id = fields.get("id", [None])[-1]
        self._queue.put({
            "event": fields.get("event", ["message"])[-1],
            "id": int(event_id) if event_id not in (None, "") else None,
            "data": data,
        })

    def _take(self, timeout: float):
        item = self._queue.get(timeout=timeout)
        if item is None:
            self._queue.put(None)  # stays closed for the next reader
            return None
        self.seen.append(item)
        return item

    def next(self, name: str, where=None, timeout: float = TIMEOUT) -> dict:
        """The next event called `name` (matching `where(data)`, when given)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {name!r} event within {timeout} s; seen {self.seen[-10:]}"
            try:
                item = self._take(left)
            except queue.Empty:
                continue
            assert item is not None, f"the stream ended before a {name!r} event; seen {self.seen[-10:]}"
            if item["event"] == name and (where is None or where(item["data"])):
                return item

    def collect(self, within: float) -> list:
        """Every event that arrives within `within` seconds."""
        deadline, items = time.monotonic() + within, []
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self._take(left)
            except queue.Empty:
                break
            if item is None:
                break
            items.append(item)
        return items

    def wait_closed(self, timeout: float) -> bool:
        return self.closed.wait(timeout)

    def close(self):
        self.response.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def about(video_id: str):
    """A `where` for events about one video."""
    return lambda data: isinstance(data, dict) and data.get("video_id") == video_id


# --- events as media publishes them --------------------------------------------------------------


def progress_envelope(user, video_id: str, progress: int, kind: str = "transcode", status: str = "processing",
                      job_id: str = None) -> dict:
    return envelope("media.job.progress", {
        "job_id": job_id or str(uuid.uuid4()), "kind": kind, "video_id": video_id, "uploaded_by": user.id,
        "progress": progress, "processing_status": status,
    }, "media")


def video_status_envelope(kind: str, user, snapshot: dict = None, status: str = "completed", error: str = None) -> dict:
    """media.video.<kind> (created, updated, processed or failed) about `snapshot` (a new video of `user`)."""
    snapshot = snapshot or video_snapshot(user, f"Live {uuid.uuid4().hex[:6]}", status, error)
    return envelope(f"media.video.{kind}", {"video": snapshot} if kind != "created" else
                    {"video_id": snapshot["id"], "uploaded_by": user.id, "video": snapshot}, "media")
