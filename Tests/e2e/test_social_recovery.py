"""social when its dependencies or itself go away (ARCHITECTURE §2: nothing lost, nothing
applied twice).

- Redis down: comment lists and markers are still served and changes still land, straight
  from PostgreSQL; Redis back: the cache serves the current comments, never a page from
  before the outage.
- social stopped while a video is deleted: the event waits in `social.events`; once social
  runs again, the video's comments and playlist entries go (positions closed up).
- An event delivered twice (the same envelope id) is applied once and counted as a duplicate.
"""

from auth_events import envelope, publish
from process_control import stopped
from social_support import (
    add_video, assert_positions, comment_markers, create_playlist, delete_video, get_playlist, list_comments,
    post_comment, ready_videos, social_metric, wait_until,
)

RECOVERY_TIMEOUT = 15


def contents(listing: dict) -> list:
    return [comment["content"] for comment in listing["comments"]]


def test_comments_are_served_and_written_while_redis_is_down(gw, owner, infra):
    """Without Redis the cache is skipped, not the request; after the outage no stale page shows."""
    (video,) = ready_videos(gw, owner, 1, title="Redis outage")
    post_comment(gw, owner, video, "before", timestamp_seconds=1)
    assert contents(list_comments(gw, owner, video)) == ["before"]
    infra("stop", "redis")
    try:
        assert contents(list_comments(gw, owner, video)) == ["before"]
        post_comment(gw, owner, video, "during", timestamp_seconds=1)
        assert contents(list_comments(gw, owner, video)) == ["during", "before"]
        assert comment_markers(gw, owner, video) == [{"seconds": 1, "count": 2}]
    finally:
        infra("start", "redis")
    hits = social_metric("social_comment_cache_requests_total", {"result": "hit"}) or 0
    for _ in range(2):
        assert contents(list_comments(gw, owner, video)) == ["during", "before"]
    wait_until(lambda: (social_metric("social_comment_cache_requests_total", {"result": "hit"}) or 0) > hits,
               RECOVERY_TIMEOUT, "a cache hit once Redis is back")
    post_comment(gw, owner, video, "after")
    assert contents(list_comments(gw, owner, video)) == ["after", "during", "before"]


def test_a_video_deleted_while_social_is_down_is_removed_when_it_returns(gw, owner):
    """The deletion event waits in the queue: afterwards the comments are gone and the playlist closed up."""
    doomed, kept = ready_videos(gw, owner, 2, title="Offline delete")
    post_comment(gw, owner, doomed, "bye")
    playlist = create_playlist(gw, owner)
    add_video(gw, owner, playlist, doomed)
    add_video(gw, owner, playlist, kept)
    with stopped("social"):
        delete_video(gw, owner, doomed)
        gone = gw.get(f"/api/videos/{doomed['short_id']}", token=owner.access_token)
        assert gone.status_code == 404, gone.text
    wait_until(lambda: gw.get(f"/api/videos/{doomed['id']}/comments", token=owner.access_token).status_code == 404,
               RECOVERY_TIMEOUT, "the deleted video's comments to go after social's restart")
    after = get_playlist(gw, owner, playlist)
    assert [entry["video_id"] for entry in after["videos"]] == [kept["id"]]
    assert_positions(after)
    assert after["video_count"] == 1


def test_an_event_delivered_twice_is_applied_once(gw, owner):
    """One `media.video.views` envelope published twice: the count shows, and social's inbox
    counts the second delivery as a duplicate instead of applying it."""
    (video,) = ready_videos(gw, owner, 1, title="Duplicate event")
    playlist = create_playlist(gw, owner)
    add_video(gw, owner, playlist, video)
    duplicates = social_metric("events_duplicate_total") or 0
    counted = envelope("media.video.views", {"counts": [{"video_id": video["id"], "view_count": 7}]}, "media")
    publish(counted, counted)

    def views():
        return get_playlist(gw, owner, playlist)["videos"][0]["video"]["view_count"]

    wait_until(lambda: views() == 7, RECOVERY_TIMEOUT, "the published view count")
    wait_until(lambda: (social_metric("events_duplicate_total") or 0) > duplicates, RECOVERY_TIMEOUT,
               "the second delivery counted as a duplicate")
