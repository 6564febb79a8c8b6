"""GET /api/events: the caller's live stream of their own videos (Server-Sent Events), through
the gateway.

Status events (media.video.created/updated/processed/failed/deleted) are numbered per user and
replayed after `Last-Event-ID`; progress (media.job.progress, transient) is passed straight on;
an idle stream writes a keep-alive comment (every LIVE_HEARTBEAT_SECONDS = 1 s in the test
platform); nothing about another user's videos ever arrives.
"""

import time

import pytest

from auth_client import assert_detail
from auth_events import publish
from live_support import LiveStream, about, progress_envelope, video_status_envelope
from process_control import stopped
from social_support import delete_video, gateway_session, new_user, upload
from support import process


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture
def alice():
    return new_user()


@pytest.fixture
def bob():
    return new_user()


def stream(user, **kwargs) -> LiveStream:
    live = LiveStream(process("gateway").url, token=user.access_token, **kwargs)
    assert live.status == 200, f"{live.status} {live.response.text[:200]}"
    return live


# --- the connection ----------------------------------------------------------------------------------


def test_without_a_token_it_is_401_json(mgw):
    assert_detail(mgw.get("/api/events"), 401, "Not authenticated")


def test_a_forged_token_is_401(mgw):
    live = LiveStream(process("gateway").url, token="not.a.token")
    assert live.status == 401
    assert live.headers["Content-Type"].startswith("application/json")


def test_it_is_an_event_stream_that_opens_with_retry_and_ready(alice):
    with stream(alice) as live:
        assert live.headers["Content-Type"].startswith("text/event-stream")
        assert "no-cache" in live.headers["Cache-Control"]
        assert live.retry == 3000
        assert live.ready["data"] == {"last_event_id": 0}
        assert live.ready["id"] is None


def test_a_query_token_works_for_browsers_event_source(alice):
    live = LiveStream(process("gateway").url, token=alice.access_token, query_token=True)
    with live:
        assert live.status == 200
        assert live.ready["data"] == {"last_event_id": 0}


def test_an_idle_stream_sends_keep_alive_comments(alice):
    with stream(alice) as live:
        # Through the gateway, whose upstream read timeout is 3 s in the test platform: the
        # heartbeats (1 s) keep it open well past that.
        time.sleep(4.5)
        assert not live.closed.is_set(), "the stream was closed while idle"
        assert live.comments.count("keep-alive") >= 3, live.comments


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999"])
def test_a_malformed_last_event_id_is_422(mgw, alice, value):
    response = mgw.get("/api/events", token=alice.access_token, headers={"Last-Event-ID": value})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["header", "last-event-id"]


# --- status events -------------------------------------------------------------------------------


def test_status_events_of_my_videos_arrive_numbered(alice):
    with stream(alice) as live:
        processed = video_status_envelope("processed", alice)
        failed = video_status_envelope("failed", alice, status="failed", error="The video is damaged or incomplete.")
        publish(processed, failed)
        first = live.next("video.status", where=about(processed["data"]["video"]["id"]))
        second = live.next("video.status", where=about(failed["data"]["video"]["id"]))
    assert (first["id"], second["id"]) == (1, 2)
    video = processed["data"]["video"]
    assert first["data"] == {
        "type": "media.video.processed", "video_id": video["id"], "short_id": video["short_id"],
        "title": video["title"], "processing_status": "completed", "error_message": None,
        "duration_seconds": 2, "occurred_at": first["data"]["occurred_at"],
    }
    assert second["data"]["processing_status"] == "failed"
    assert second["data"]["error_message"] == "The video is damaged or incomplete."


def test_a_redelivered_event_is_streamed_once(alice):
    with stream(alice) as live:
        env = video_status_envelope("updated", alice)
        publish(env, env)
        marker = video_status_envelope("processed", alice)
        publish(marker)
        events = [live.next("video.status", where=about(marker["data"]["video"]["id"]))]
        about_env = [e for e in live.seen if e["event"] == "video.status"
                     and e["data"]["video_id"] == env["data"]["video"]["id"]]
    assert len(about_env) == 1, about_env
    assert events[0]["id"] == about_env[0]["id"] + 1


def test_reconnecting_with_last_event_id_replays_what_was_missed(alice):
    with stream(alice) as live:
        first = video_status_envelope("processed", alice)
        publish(first)
        seen = live.next("video.status", where=about(first["data"]["video"]["id"]))["id"]
    missed = [video_status_envelope("created", alice, status="pending"), video_status_envelope("processed", alice)]
    publish(*missed)
    time.sleep(1.5)  # both handled by notify while nobody listens
    with stream(alice, last_event_id=seen) as live:
        replayed = [live.next("video.status"), live.next("video.status")]
        assert live.ready["data"] == {"last_event_id": seen}
    assert [e["id"] for e in replayed] == [seen + 1, seen + 2]
    assert [e["data"]["video_id"] for e in replayed] == [m["data"]["video"]["id"] for m in missed]
    assert replayed[0]["data"]["processing_status"] == "pending"
    with stream(alice, last_event_id=seen + 1) as live:
        again = live.next("video.status")
        assert again["id"] == seen + 2
        assert live.collect(1.5) == [] or all(e["event"] != "video.status" for e in live.seen[1:])


def test_without_last_event_id_nothing_old_is_replayed(alice):
    publish(video_status_envelope("processed", alice))
    time.sleep(1.5)
    with stream(alice) as live:
        assert live.ready["data"]["last_event_id"] >= 1
        assert [e for e in live.collect(2) if e["event"] != "ready"] == []


def test_a_last_event_id_beyond_the_latest_continues_from_the_latest(alice):
    with stream(alice, last_event_id=10**12) as live:
        assert live.ready["data"] == {"last_event_id": 0}
        env = video_status_envelope("processed", alice)
        publish(env)
        assert live.next("video.status", where=about(env["data"]["video"]["id"]))["id"] == 1


# --- progress ---------------------------------------------------------------------------------------


def test_progress_of_my_video_arrives_without_an_id(alice):
    video_id = str(__import__("uuid").uuid4())
    with stream(alice) as live:
        publish(progress_envelope(alice, video_id, 42))
        event = live.next("video.progress", where=about(video_id))
    assert event["id"] is None
    assert event["data"]["progress"] == 42
    assert event["data"]["processing_status"] == "processing"
    assert event["data"]["kind"] == "transcode"
    assert set(event["data"]) == {"video_id", "job_id", "kind", "progress", "processing_status"}


def test_every_stream_of_the_user_gets_it(alice):
    video_id = str(__import__("uuid").uuid4())
    with stream(alice) as one, stream(alice) as two:
        publish(progress_envelope(alice, video_id, 7))
        assert one.next("video.progress", where=about(video_id))["data"]["progress"] == 7
        assert two.next("video.progress", where=about(video_id))["data"]["progress"] == 7


def test_nothing_about_another_users_videos_arrives(alice, bob):
    with stream(alice) as mine, stream(bob) as theirs:
        bobs_video = video_status_envelope("processed", bob)
        bobs_progress = progress_envelope(bob, bobs_video["data"]["video"]["id"], 55)
        publish(bobs_progress, bobs_video)
        theirs.next("video.progress", where=about(bobs_video["data"]["video"]["id"]))
        theirs.next("video.status", where=about(bobs_video["data"]["video"]["id"]))
        # Alice's stream: a marker of her own proves it is live; nothing of Bob's came before it.
        marker = progress_envelope(alice, str(__import__("uuid").uuid4()), 1)
        publish(marker)
        mine.next("video.progress", where=about(marker["data"]["video_id"]))
        leaked = [e for e in mine.seen if isinstance(e["data"], dict)
                  and e["data"].get("video_id") == bobs_video["data"]["video"]["id"]]
        assert leaked == []
        assert mine.ready["data"] == {"last_event_id": 0}


# --- the real pipeline -----------------------------------------------------------------------------


def test_an_upload_streams_created_progress_and_completed_to_its_owner_only(mgw, alice, bob):
    with stream(alice) as mine, stream(bob) as theirs:
        video = upload(mgw, alice, title="Live upload")
        created = mine.next("video.status", where=about(video["id"]), timeout=15)
        assert created["data"]["type"] == "media.video.created"
        assert created["data"]["short_id"] == video["short_id"]
        done = mine.next("video.status", where=lambda d: d.get("video_id") == video["id"]
                         and d["processing_status"] in ("completed", "failed"), timeout=120)
        assert done["data"]["processing_status"] == "completed", done
        assert done["data"]["type"] == "media.video.processed"
        assert done["id"] > created["id"]
        mine.collect(1)  # progress published just before the end may still be on its way
        progress = [e["data"] for e in mine.seen if e["event"] == "video.progress" and about(video["id"])(e["data"])]
        assert progress, "no progress event for the transcode"
        assert all(0 < p["progress"] <= 100 and p["kind"] == "transcode" for p in progress), progress
        assert [p["progress"] for p in progress] == sorted(p["progress"] for p in progress)
        delete_video(mgw, alice, video)
        gone = mine.next("video.deleted", where=about(video["id"]), timeout=15)
        assert gone["data"]["processing_status"] is None
        assert gone["id"] > done["id"]
        assert [e for e in theirs.seen if isinstance(e["data"], dict) and e["data"].get("video_id") == video["id"]] == []


# --- shutdown and restarts -------------------------------------------------------------------------------


def test_streams_end_when_notify_stops_and_replay_covers_the_gap(alice):
    live = stream(alice)
    with live:
        before = video_status_envelope("processed", alice)
        publish(before)
        seen = live.next("video.status", where=about(before["data"]["video"]["id"]))["id"]
        with stopped("notify"):
            assert live.wait_closed(10), "the stream stayed open while notify shut down"
            during = video_status_envelope("processed", alice)
            publish(during)  # waits in notify's queue
    with stream(alice, last_event_id=seen) as again:
        replayed = again.next("video.status", timeout=15)
    assert replayed["id"] == seen + 1
    assert replayed["data"]["video_id"] == during["data"]["video"]["id"]
