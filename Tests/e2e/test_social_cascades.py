"""What social does when other things change, and its comment cache (docs/social.md
"Read models and cascades").

1. A video deleted through the gateway: within seconds its comments are gone (404 "Video not
   found"), it leaves every playlist, positions are 0..n-1 again, video_count drops and
   first_video_thumbnail moves on.
2. A category deleted through the API: media's video keeps existing with category_id null.
3. The comment cache: repeated reads are hits on social's /metrics; every post, edit and
   delete shows at once in the next list and in the markers.
"""

import pytest

from auth_client import assert_detail
from media_client import upload_multipart
from social_support import (
    add_video, assert_positions, assert_status, comment_markers, create_category, create_playlist, delete_video,
    gateway_session, get_playlist, list_comments, new_user, pending_video, post_comment, read_video, ready_video,
    ready_videos, social_metric, tiny_clip, wait_until,
)

CASCADE_TIMEOUT = 10
HITS = ("social_comment_cache_requests_total", {"result": "hit"})
MISSES = ("social_comment_cache_requests_total", {"result": "miss"})


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture(scope="module")
def alice():
    return new_user()


# --- 1. a deleted video ---------------------------------------------------------------------------


def comments_gone(gw, user, video) -> bool:
    return gw.get(f"/api/videos/{video['id']}/comments", token=user.access_token).status_code == 404


def playlist_without(gw, user, playlist, video):
    """The playlist once `video` has left it, else None."""
    body = get_playlist(gw, user, playlist)
    return None if video["id"] in [e["video_id"] for e in body["videos"]] else body


def test_deleting_a_video_removes_its_comments_and_playlist_entries(gw, owner, alice):
    """Comments (with replies) and playlist entries of a deleted video go within seconds; the
    playlists close the gap and their thumbnail moves to the next video that has one."""
    doomed, kept, last = ready_videos(gw, owner, 3, title="Cascade")
    draft = pending_video(gw, owner, title="No thumbnail yet")
    big = create_playlist(gw, alice)
    for video in (kept, doomed, last):
        add_video(gw, alice, big, video)
    mine = create_playlist(gw, owner)
    for video in (doomed, draft):
        add_video(gw, owner, mine, video)
    gone_comment = post_comment(gw, alice, doomed, "doomed", timestamp_seconds=1)
    post_comment(gw, owner, doomed, "reply", parent_id=gone_comment["id"])
    kept_comment = post_comment(gw, alice, kept, "kept")
    for _ in range(2):  # cached lists and markers of the doomed video must not outlive it
        assert list_comments(gw, alice, doomed)["total"] == 1
        assert comment_markers(gw, alice, doomed) == [{"seconds": 1, "count": 1}]
    assert doomed["thumbnail_filename"], f"the processed video has no thumbnail: {doomed}"
    assert get_playlist(gw, owner, mine)["first_video_thumbnail"] == doomed["thumbnail_filename"]

    delete_video(gw, owner, doomed)

    wait_until(lambda: comments_gone(gw, alice, doomed), CASCADE_TIMEOUT, "the deleted video's comments stay")
    check_comments_gone(gw, alice, doomed, gone_comment, kept, kept_comment)
    check_big_playlist(gw, alice, big, doomed, kept, last)
    check_own_playlist(gw, owner, mine, doomed, draft)


def check_comments_gone(gw, user, doomed, gone_comment, kept, kept_comment):
    """GET comments and markers of the deleted video are 404; its comments are unknown; others stay."""
    assert_detail(gw.get(f"/api/videos/{doomed['id']}/comments", token=user.access_token), 404,
                  f"Video not found: {doomed['id']}")
    assert_detail(gw.get(f"/api/videos/{doomed['id']}/comment-markers", token=user.access_token), 404,
                  f"Video not found: {doomed['id']}")
    assert_detail(gw.post(f"/api/videos/{doomed['id']}/comments", json={"content": "late"}, token=user.access_token),
                  404, f"Video not found: {doomed['id']}")
    assert_detail(gw.patch(f"/api/comments/{gone_comment['id']}", json={"content": "x"}, token=user.access_token),
                  404, f"Comment not found: {gone_comment['id']}")
    assert [c["id"] for c in list_comments(gw, user, kept)["comments"]] == [kept_comment["id"]]


def check_big_playlist(gw, user, big, doomed, kept, last):
    body = wait_until(lambda: playlist_without(gw, user, big, doomed), CASCADE_TIMEOUT,
                      "the deleted video stays in the playlist")
    assert assert_positions(body) == [kept["id"], last["id"]]
    assert body["video_count"] == 2


def check_own_playlist(gw, owner, mine, doomed, draft):
    """The video with the thumbnail left; the remaining one has none yet, so no thumbnail."""
    body = wait_until(lambda: playlist_without(gw, owner, mine, doomed), CASCADE_TIMEOUT,
                      "the deleted video stays in the owner's playlist")
    assert assert_positions(body) == [draft["id"]]
    assert body["video_count"] == 1 and body["first_video_thumbnail"] is None
    listed = [p for p in gw.get(f"/api/playlists/by-user/{owner.username}", token=owner.access_token).json()
              ["playlists"] if p["id"] == mine["id"]]
    assert listed and listed[0]["video_count"] == 1 and listed[0]["first_video_thumbnail"] is None


# --- 2. a deleted category ------------------------------------------------------------------------


def upload_in_category(gw, user, category) -> dict:
    """Uploads into `category` once media has learnt of it (an unknown category is a 404)."""
    def attempt():
        response = upload_multipart(gw, user.access_token, tiny_clip(), title="Categorised",
                                    category_id=category["id"])
        return response.json() if response.status_code == 201 else None

    return wait_until(attempt, CASCADE_TIMEOUT, f"media does not take category {category['id']}", interval=0.5)


def category_count(gw, user, category) -> int:
    return gw.get(f"/api/categories/{category['id']}", token=user.access_token).json()["video_count"]


def test_deleting_a_category_keeps_its_video_without_a_category(gw, admin, alice):
    """The category goes (404); media's video stays, its category_id/name/slug null within seconds."""
    category = create_category(gw, admin)
    video = upload_in_category(gw, alice, category)
    assert video["category_id"] == category["id"] and video["category_name"] == category["name"]
    wait_until(lambda: category_count(gw, alice, category) == 1, CASCADE_TIMEOUT,
               "the category's video_count does not reach 1")

    assert_status(gw.delete(f"/api/categories/{category['id']}", token=admin.access_token), 204)

    cleared = wait_until(lambda: (lambda v: v if v["category_id"] is None else None)(read_video(gw, alice, video)),
                         CASCADE_TIMEOUT, "media keeps the deleted category on the video")
    assert cleared["category_name"] is None and cleared["category_slug"] is None
    assert cleared["id"] == video["id"] and cleared["title"] == "Categorised"
    assert_detail(gw.get(f"/api/categories/{category['id']}", token=alice.access_token), 404, "Category not found")


# --- 3. the comment cache ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cached(mgw, owner):
    """A ready video for the cache tests."""
    return ready_video(mgw, owner, title="Cached")


def metric(pair) -> float:
    return social_metric(*pair) or 0.0


def test_repeated_reads_are_cache_hits(gw, cached, alice):
    """Two identical reads after a change: at least one miss, then a hit; the hit ratio is a fraction."""
    post_comment(gw, alice, cached, "warm up")
    hits, misses = metric(HITS), metric(MISSES)
    first = list_comments(gw, alice, cached)
    second = list_comments(gw, alice, cached)
    assert first == second
    assert metric(MISSES) >= misses + 1, "the first read after a post is not a miss"
    assert metric(HITS) >= hits + 1, "the second identical read is not a hit"
    ratio = social_metric("social_comment_cache_hit_ratio")
    assert ratio is not None and 0 < ratio <= 1, f"social_comment_cache_hit_ratio is {ratio}"


def test_markers_are_cached_too(gw, cached, alice):
    """A repeated markers read is a cache hit."""
    post_comment(gw, alice, cached, "marker warm up", timestamp_seconds=4)
    comment_markers(gw, alice, cached)
    hits = metric(HITS)
    comment_markers(gw, alice, cached)
    assert metric(HITS) >= hits + 1, "a repeated markers read is not a hit"


def cache_warm(gw, user, video) -> dict:
    """Reads the list twice, so the second read comes from the cache; returns it."""
    list_comments(gw, user, video)
    return list_comments(gw, user, video)


def test_a_new_comment_and_reply_show_at_once(gw, cached, alice, owner):
    """After a cached read, a new comment and then a reply show in the very next read."""
    cache_warm(gw, owner, cached)
    made = post_comment(gw, alice, cached, "fresh")
    assert list_comments(gw, owner, cached)["comments"][0]["id"] == made["id"]
    reply = post_comment(gw, owner, cached, "fresh reply", parent_id=made["id"])
    top = list_comments(gw, owner, cached)["comments"][0]
    assert top["reply_count"] == 1 and [r["id"] for r in top["replies"]] == [reply["id"]]


def test_an_edit_shows_at_once(gw, cached, alice):
    """After a cached read, an edit shows in the very next read."""
    made = post_comment(gw, alice, cached, "before")
    assert cache_warm(gw, alice, cached)["comments"][0]["content"] == "before"
    response = gw.patch(f"/api/comments/{made['id']}", json={"content": "after"}, token=alice.access_token)
    assert_status(response, 200)
    assert list_comments(gw, alice, cached)["comments"][0]["content"] == "after"


def test_a_delete_shows_at_once(gw, cached, alice):
    """After a cached read, a deleted comment is gone from the very next read and total drops."""
    made = post_comment(gw, alice, cached, "going")
    total = cache_warm(gw, alice, cached)["total"]
    assert_status(gw.delete(f"/api/comments/{made['id']}", token=alice.access_token), 204)
    after = list_comments(gw, alice, cached)
    assert made["id"] not in [c["id"] for c in after["comments"]] and after["total"] == total - 1


def marker_at(markers: list, seconds: int) -> int:
    return next((m["count"] for m in markers if m["seconds"] == seconds), 0)


def test_markers_follow_posts_and_deletes_at_once(gw, cached, alice):
    """After cached marker reads, a timed comment adds to its second at once; deleting it takes it away."""
    comment_markers(gw, alice, cached)
    before = marker_at(comment_markers(gw, alice, cached), 77)
    made = post_comment(gw, alice, cached, "at 77", timestamp_seconds=77)
    assert marker_at(comment_markers(gw, alice, cached), 77) == before + 1
    assert_status(gw.delete(f"/api/comments/{made['id']}", token=alice.access_token), 204)
    assert marker_at(comment_markers(gw, alice, cached), 77) == before
