"""POST /api/videos/{sid}/view (API §3.5): every call counts, no visibility check.

- The answer is {view_count}, the count including this view, one more per call.
- Anyone signed in may count a view, even of someone else's pending video (uploaded while the
  media workers are paused), and views counted while a worker processes a video are kept.
- Reads right after a view (GET one, the list) never show less than the caller's own view.
- Views are batched in Redis and flushed to media.videos every 2 s (VIEWS_FLUSH_MS):
  within a few seconds the row holds the count, and reads show it exactly once.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from auth_client import Api, assert_detail, register
from media_streaming_support import ready_video, shared_clip, stored_view_count, upload
from media_client import wait_ready, workers_paused
from support import wait_for

FLUSH_WAIT = 12


@pytest.fixture
def clip(tmp_path_factory):
    return shared_clip(tmp_path_factory)


def view(gw, user, video) -> int:
    response = gw.post(f"/api/videos/{video['short_id']}/view", token=user.access_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"view_count"}, body
    assert isinstance(body["view_count"], int)
    return body["view_count"]


def shown(gw, user, video) -> int:
    response = gw.get(f"/api/videos/{video['short_id']}", token=user.access_token)
    assert response.status_code == 200, response.text
    return response.json()["view_count"]


def listed(gw, user, video) -> int:
    response = gw.get("/api/videos/", token=user.access_token, params={"uploaded_by": video["uploaded_by"]})
    assert response.status_code == 200, response.text
    [entry] = [v for v in response.json()["videos"] if v["id"] == video["id"]]
    return entry["view_count"]


def test_every_view_counts_and_reads_are_never_behind(gw, api, admin, clip):
    owner, viewer = register(api, admin), register(api, admin)
    video, _ = ready_video(gw, owner, clip, title="Watched")
    assert video["view_count"] == 0
    for expected in range(1, 6):
        user = owner if expected % 2 else viewer
        assert view(gw, user, video) == expected
        assert shown(gw, user, video) >= expected
        assert listed(gw, user, video) >= expected
    assert shown(gw, owner, video) == 5
    assert listed(gw, viewer, video) == 5


def test_views_reach_the_database_within_seconds(gw, api, admin, clip):
    user = register(api, admin)
    video, _ = ready_video(gw, user, clip, title="Flushed")
    for expected in range(1, 4):
        assert view(gw, user, video) == expected
    stored = wait_for(lambda: stored_view_count(video) == 3 or None, FLUSH_WAIT)
    assert stored, f"media.videos.view_count is {stored_view_count(video)} after {FLUSH_WAIT} s, expected 3"
    # Flushed views are counted once, not once in the row and again from Redis.
    time.sleep(2.5)
    assert stored_view_count(video) == 3
    assert shown(gw, user, video) == 3
    assert listed(gw, user, video) == 3
    # Counting goes on from the stored count.
    assert view(gw, user, video) == 4
    assert shown(gw, user, video) == 4
    assert wait_for(lambda: stored_view_count(video) == 4 or None, FLUSH_WAIT)
    assert shown(gw, user, video) == 4


def test_another_user_may_count_a_view_of_a_pending_video(gw, api, admin, clip):
    owner, other = register(api, admin), register(api, admin)
    with workers_paused():  # so it stays pending
        video = upload(gw, owner, clip, title="Pending but viewed")
        assert view(gw, other, video) == 1
        assert view(gw, other, video) == 2
        # The viewer still may not see the video itself.
        assert gw.get(f"/api/videos/{video['short_id']}", token=other.access_token).status_code == 403
        assert shown(gw, owner, video) == 2
        assert wait_for(lambda: stored_view_count(video) == 2 or None, FLUSH_WAIT)


def test_views_counted_while_a_worker_processes_the_video_are_kept(gw, api, admin, clip):
    """The worker's completion and the views' flush both write the row; neither undoes the other."""
    owner = register(api, admin)
    video = upload(gw, owner, clip, title="Viewed while processing")
    for expected in range(1, 6):
        assert view(gw, owner, video) == expected
        time.sleep(0.3)
    wait_ready(video)
    assert wait_for(lambda: stored_view_count(video) == 5 or None, FLUSH_WAIT), \
        f"stored view_count {stored_view_count(video)} after processing, expected 5"
    time.sleep(2.5)
    assert stored_view_count(video) == 5 and shown(gw, owner, video) == 5


def test_concurrent_views_all_count(gw, api, admin, clip):
    user = register(api, admin)
    video, _ = ready_video(gw, user, clip, title="Popular")
    calls = 24

    def one(_):
        with Api(gw.base_url) as session:
            return view(session, user, video)

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(one, range(calls)))
    assert max(counts) <= calls and min(counts) >= 1
    assert shown(gw, user, video) == calls
    assert wait_for(lambda: stored_view_count(video) == calls or None, FLUSH_WAIT), \
        f"stored view_count {stored_view_count(video)}, expected {calls}"
    assert shown(gw, user, video) == calls
    assert listed(gw, user, video) == calls


def test_view_of_an_unknown_video_is_404(gw, api, admin):
    user = register(api, admin)
    assert_detail(gw.post("/api/videos/zzzzzzzzzz/view", token=user.access_token), 404, "Video not found: zzzzzzzzzz")


def test_view_needs_a_token(gw, api, admin, clip):
    user = register(api, admin)
    video = upload(gw, user, clip)
    assert_detail(gw.post(f"/api/videos/{video['short_id']}/view"), 401, "Not authenticated")
    assert shown(gw, user, video) == 0
