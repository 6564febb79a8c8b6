"""The comment routes of social through the gateway (docs/social.md "Comments", API §2, §3.7, §4.5).

- GET /api/videos/{video_id}/comments: CommentList {comments, total (top-level), has_more};
  replies one level deep, oldest first, null when none; sorts newest/oldest/timestamp (nulls
  last, then newest); skip/limit paging with 422s; 404 unknown video, 403 someone else's
  unprocessed video (own and admin fine), 422 malformed uuid.
- POST same path: content 1..2000 trimmed, timestamp_seconds >= 0, parent_id; parent 404/400s.
- PATCH /api/comments/{id}: author only, within 24 h; is_edited after 60 s; 403s, 404, 422.
- DELETE /api/comments/{id}: author, video owner or admin; replies go with their parent.
- GET /api/videos/{video_id}/comment-markers: [{seconds, count}] ascending, replies included.
- Authors: avatar changes from auth show on comments; a deactivated author's token is refused
  (as media refuses it) while their comments stay.
- The social.comment.created event.

Videos come from a module pool of ready videos (uploaded at once) so each test that counts
gets a video of its own.
"""

import uuid

import pytest

from auth_client import assert_detail, assert_validation_error, parse_datetime
from auth_images import make_image
from social_support import (
    age_comment, assert_comment, assert_status, comment_markers, gateway_session, list_comments, new_user,
    pending_video, post_comment, ready_videos, wait_until,
)

NO_VIEW = "You don't have permission to view this video"
NOT_YOURS = "You can only edit your own comments"
WINDOW_OVER = "Comment editing window (24h) has expired"
NO_DELETE = "You don't have permission to delete this comment"
POOL_SIZE = 12


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture(scope="module")
def alice():
    return new_user()


@pytest.fixture(scope="module")
def bob():
    return new_user()


@pytest.fixture(scope="module")
def pool(mgw, owner):
    """Ready videos of `owner`, handed out one per test by `video`."""
    return ready_videos(mgw, owner, POOL_SIZE, title="Commented")


@pytest.fixture(scope="module")
def shared(pool):
    """A ready video of `owner` for the tests that only look at their own comments."""
    return pool.pop(0)


@pytest.fixture
def video(pool, shared, mgw, owner):
    """A ready video of `owner` no other test has used (for tests that count or order)."""
    return pool.pop() if pool else ready_videos(mgw, owner, 1, title="Commented")[0]


def comments_path(video: dict) -> str:
    return f"/api/videos/{video['id']}/comments"


def ids(body: dict) -> list:
    return [c["id"] for c in body["comments"]]


def listed(gw, user, video: dict, comment_id: str):
    """The comment `comment_id` as `user` sees it in the newest-first list (a top-level comment,
    or a reply found under its parent); None when it is not there."""
    for comment in list_comments(gw, user, video, limit=100)["comments"]:
        if comment["id"] == comment_id:
            return comment
        for reply in comment["replies"] or []:
            if reply["id"] == comment_id:
                return reply
    return None


# --- posting --------------------------------------------------------------------------------


def test_post_returns_a_full_comment(gw, shared, alice):
    """A 201 Comment: trimmed content, the caller as author, flags of a fresh comment, no replies."""
    response = gw.post(comments_path(shared), json={"content": "  Nice shot!  ", "timestamp_seconds": 7},
                       token=alice.access_token)
    assert_status(response, 201)
    comment = assert_comment(response.json())
    assert comment["content"] == "Nice shot!"
    assert comment["video_id"] == shared["id"] and comment["user_id"] == alice.id
    assert comment["author_username"] == alice.username and comment["author_avatar_url"] is None
    assert comment["timestamp_seconds"] == 7 and comment["parent_id"] is None
    assert comment["is_edited"] is False and comment["can_edit"] is True and comment["can_delete"] is True
    assert comment["reply_count"] == 0 and comment["replies"] is None
    assert comment["created_at"] == comment["updated_at"] or \
        abs((parse_datetime(comment["updated_at"]) - parse_datetime(comment["created_at"])).total_seconds()) < 1


def test_content_of_2000_characters_and_timestamp_zero_are_accepted(gw, shared, alice):
    """The upper bound of content and the lower bound of timestamp_seconds are fine."""
    comment = post_comment(gw, alice, shared, "c" * 2000, timestamp_seconds=0)
    assert comment["content"] == "c" * 2000 and comment["timestamp_seconds"] == 0
    assert listed(gw, alice, shared, comment["id"])["content"] == "c" * 2000


@pytest.mark.parametrize("body, loc", [
    ({"content": ""}, ["body", "content"]),
    ({"content": "   "}, ["body", "content"]),
    ({"content": "x" * 2001}, ["body", "content"]),
    ({}, ["body", "content"]),
    ({"content": None}, ["body", "content"]),
    ({"content": "ok", "timestamp_seconds": -1}, ["body", "timestamp_seconds"]),
    ({"content": "ok", "timestamp_seconds": "soon"}, ["body", "timestamp_seconds"]),
    ({"content": "ok", "parent_id": "not-a-uuid"}, ["body", "parent_id"]),
])
def test_post_validation(gw, shared, alice, body, loc):
    """Bad bodies are 422 at the field, and nothing is stored."""
    before = list_comments(gw, alice, shared)["total"]
    assert_validation_error(gw.post(comments_path(shared), json=body, token=alice.access_token), loc)
    assert list_comments(gw, alice, shared)["total"] == before


def test_reply_to_an_unknown_comment_is_404(gw, shared, alice):
    unknown = str(uuid.uuid4())
    response = gw.post(comments_path(shared), json={"content": "hi", "parent_id": unknown}, token=alice.access_token)
    assert_detail(response, 404, f"Comment not found: {unknown}")


def test_reply_to_a_comment_of_another_video_is_400(gw, shared, video, alice):
    parent = post_comment(gw, alice, shared, "on the shared video")
    response = gw.post(comments_path(video), json={"content": "hi", "parent_id": parent["id"]},
                       token=alice.access_token)
    assert_detail(response, 400, "Parent comment must belong to the same video")
    assert list_comments(gw, alice, video)["total"] == 0
    assert listed(gw, alice, shared, parent["id"])["reply_count"] == 0


def test_reply_to_a_reply_is_400(gw, shared, alice, bob):
    parent = post_comment(gw, alice, shared, "parent")
    reply = post_comment(gw, bob, shared, "reply", parent_id=parent["id"])
    response = gw.post(comments_path(shared), json={"content": "nested", "parent_id": reply["id"]},
                       token=alice.access_token)
    assert_detail(response, 400, "Nested replies are not supported")
    assert listed(gw, alice, shared, parent["id"])["reply_count"] == 1


def test_a_reply_is_a_comment_with_a_parent(gw, shared, alice, bob):
    """A reply answers 201 with parent_id set, reply_count 0, replies null; it may carry a timestamp."""
    parent = post_comment(gw, alice, shared, "parent")
    reply = assert_comment(post_comment(gw, bob, shared, "reply", parent_id=parent["id"], timestamp_seconds=3))
    assert reply["parent_id"] == parent["id"] and reply["video_id"] == shared["id"]
    assert reply["reply_count"] == 0 and reply["replies"] is None and reply["timestamp_seconds"] == 3


# --- listing ---------------------------------------------------------------------------------


def test_list_nests_replies_oldest_first(gw, video, alice, bob):
    """Top-level comments carry their replies (oldest first) and reply_count; those without have
    replies null; replies are not counted in total nor listed at the top level."""
    lonely = post_comment(gw, alice, video, "no replies")
    parent = post_comment(gw, alice, video, "with replies")
    first = post_comment(gw, bob, video, "first reply", parent_id=parent["id"])
    second = post_comment(gw, alice, video, "second reply", parent_id=parent["id"])

    body = list_comments(gw, bob, video)
    assert body["total"] == 2 and body["has_more"] is False
    assert ids(body) == [parent["id"], lonely["id"]]
    listed_parent, listed_lonely = (assert_comment(c) for c in body["comments"])
    assert listed_lonely["replies"] is None and listed_lonely["reply_count"] == 0
    assert listed_parent["reply_count"] == 2
    assert [r["id"] for r in listed_parent["replies"]] == [first["id"], second["id"]]
    for reply in listed_parent["replies"]:
        assert_comment(reply)
        assert reply["parent_id"] == parent["id"] and reply["replies"] is None and reply["reply_count"] == 0
    assert listed_parent["replies"][0]["author_username"] == bob.username


def test_sort_newest_and_oldest(gw, video, alice):
    """newest (the default) is created_at descending, oldest ascending."""
    made = [post_comment(gw, alice, video, f"comment {i}")["id"] for i in range(3)]
    assert ids(list_comments(gw, alice, video)) == made[::-1]
    assert ids(list_comments(gw, alice, video, sort="newest")) == made[::-1]
    assert ids(list_comments(gw, alice, video, sort="oldest")) == made


def test_sort_timestamp_puts_nulls_last_then_newest(gw, video, alice):
    """timestamp: ascending timestamp_seconds, equal ones newest first, untimed ones last (newest first)."""
    untimed_old = post_comment(gw, alice, video, "untimed old")["id"]
    at_30 = post_comment(gw, alice, video, "at 30", timestamp_seconds=30)["id"]
    at_5_old = post_comment(gw, alice, video, "at 5 old", timestamp_seconds=5)["id"]
    untimed_new = post_comment(gw, alice, video, "untimed new")["id"]
    at_5_new = post_comment(gw, alice, video, "at 5 new", timestamp_seconds=5)["id"]
    at_0 = post_comment(gw, alice, video, "at 0", timestamp_seconds=0)["id"]
    body = list_comments(gw, alice, video, sort="timestamp")
    assert ids(body) == [at_0, at_5_new, at_5_old, at_30, untimed_new, untimed_old]


def test_paging_with_skip_and_limit(gw, video, alice):
    """skip/limit page through the top-level comments; total counts them all; has_more is
    total > skip + limit."""
    made = [post_comment(gw, alice, video, f"page {i}")["id"] for i in range(5)]
    post_comment(gw, alice, video, "a reply is not paged", parent_id=made[0])
    pages = [list_comments(gw, alice, video, sort="oldest", skip=skip, limit=2) for skip in (0, 2, 4)]
    assert [ids(p) for p in pages] == [made[0:2], made[2:4], made[4:5]]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert all(p["total"] == 5 for p in pages)
    exact = list_comments(gw, alice, video, skip=3, limit=2)
    assert exact["has_more"] is False and len(exact["comments"]) == 2
    beyond = list_comments(gw, alice, video, skip=10, limit=2)
    assert beyond == {"comments": [], "total": 5, "has_more": False}


def test_default_limit_is_50_and_limit_100_is_allowed(gw, video, alice):
    """Without limit a page holds 50 comments; limit=100 returns all 51."""
    for i in range(51):
        post_comment(gw, alice, video, f"bulk {i}")
    default = list_comments(gw, alice, video)
    assert len(default["comments"]) == 50 and default["total"] == 51 and default["has_more"] is True
    everything = list_comments(gw, alice, video, limit=100)
    assert len(everything["comments"]) == 51 and everything["has_more"] is False


def test_a_video_without_comments(gw, video, alice):
    assert list_comments(gw, alice, video) == {"comments": [], "total": 0, "has_more": False}
    assert comment_markers(gw, alice, video) == []


@pytest.mark.parametrize("params, loc", [
    ({"skip": "-1"}, ["query", "skip"]),
    ({"skip": "x"}, ["query", "skip"]),
    ({"skip": str(2**63 - 1)}, ["query", "skip"]),
    ({"skip": str(2**31)}, ["query", "skip"]),
    ({"limit": "0"}, ["query", "limit"]),
    ({"limit": "101"}, ["query", "limit"]),
    ({"limit": "ten"}, ["query", "limit"]),
    ({"sort": "popular"}, ["query", "sort"]),
    ({"sort": "NEWEST"}, ["query", "sort"]),
])
def test_bad_query_parameters_are_422(gw, shared, alice, params, loc):
    """Out-of-range paging (a skip near Int64.max once crashed the process) and unknown sorts are 422s."""
    response = gw.get(comments_path(shared), params=params, token=alice.access_token)
    assert_validation_error(response, loc)


def test_the_largest_skip_is_an_empty_page(gw, shared, alice):
    """skip = 2^31 - 1 is accepted: an empty page, no more to come."""
    body = list_comments(gw, alice, shared, skip=2**31 - 1)
    assert body["comments"] == [] and body["has_more"] is False, body


@pytest.mark.parametrize("method, path, loc", [
    ("GET", "/api/videos/not-a-uuid/comments", ["path", "video_id"]),
    ("POST", "/api/videos/not-a-uuid/comments", ["path", "video_id"]),
    ("GET", "/api/videos/12345/comment-markers", ["path", "video_id"]),
    ("PATCH", "/api/comments/not-a-uuid", ["path", "comment_id"]),
    ("DELETE", "/api/comments/not-a-uuid", ["path", "comment_id"]),
])
def test_malformed_uuids_are_422(gw, alice, method, path, loc):
    response = gw.request(method, path, json={"content": "x"}, token=alice.access_token)
    assert_validation_error(response, loc)


@pytest.mark.parametrize("method, suffix", [("GET", "comments"), ("POST", "comments"), ("GET", "comment-markers")])
def test_unknown_video_is_404(gw, alice, method, suffix):
    unknown = str(uuid.uuid4())
    response = gw.request(method, f"/api/videos/{unknown}/{suffix}", json={"content": "x"}, token=alice.access_token)
    assert_detail(response, 404, f"Video not found: {unknown}")


def test_comments_need_a_token(gw, shared):
    assert_detail(gw.get(comments_path(shared)), 401, "Not authenticated")


# --- visibility ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hidden(mgw, alice):
    """A video of alice that stays pending."""
    return pending_video(mgw, alice, title="Draft")


@pytest.mark.parametrize("method, suffix", [("GET", "comments"), ("POST", "comments"), ("GET", "comment-markers")])
def test_someone_elses_unprocessed_video_is_403(gw, hidden, bob, method, suffix):
    response = gw.request(method, f"/api/videos/{hidden['id']}/{suffix}", json={"content": "peek"},
                          token=bob.access_token)
    assert_detail(response, 403, NO_VIEW)


def test_own_unprocessed_video_and_the_admin(gw, hidden, alice, bob, admin):
    """The uploader and the admin read, post and see markers on a pending video; bob's 403
    stored nothing."""
    own = post_comment(gw, alice, hidden, "note to self", timestamp_seconds=1)
    by_admin = post_comment(gw, admin, hidden, "moderator was here", timestamp_seconds=1)
    for user in (alice, admin):
        body = list_comments(gw, user, hidden)
        assert set(ids(body)) == {own["id"], by_admin["id"]} and body["total"] == 2
        assert comment_markers(gw, user, hidden) == [{"seconds": 1, "count": 2}]


# --- editing -----------------------------------------------------------------------------------


def edit(gw, user, comment: dict, content: str):
    return gw.patch(f"/api/comments/{comment['id']}", json={"content": content}, token=user.access_token)


def test_author_edits_a_comment(gw, shared, alice):
    """200 Comment with the new (trimmed) content, updated_at moved on, not yet 'edited'; the
    list shows the change."""
    comment = post_comment(gw, alice, shared, "typo", timestamp_seconds=4)
    response = edit(gw, alice, comment, "  fixed  ")
    assert_status(response, 200)
    edited = assert_comment(response.json())
    assert edited["id"] == comment["id"] and edited["content"] == "fixed"
    assert edited["timestamp_seconds"] == 4 and edited["created_at"] == comment["created_at"]
    assert parse_datetime(edited["updated_at"]) > parse_datetime(comment["updated_at"])
    assert edited["is_edited"] is False and edited["can_edit"] is True and edited["replies"] is None
    assert listed(gw, alice, shared, comment["id"])["content"] == "fixed"


@pytest.mark.parametrize("editor", ["bob", "owner", "admin"])
def test_only_the_author_edits(gw, shared, alice, bob, owner, admin, editor):
    """Another user, the video's owner and the admin get 403; the content stays."""
    comment = post_comment(gw, alice, shared, "mine")
    user = {"bob": bob, "owner": owner, "admin": admin}[editor]
    assert_detail(edit(gw, user, comment, "hijacked"), 403, NOT_YOURS)
    assert listed(gw, alice, shared, comment["id"])["content"] == "mine"


@pytest.mark.parametrize("body, loc", [
    ({"content": ""}, ["body", "content"]),
    ({"content": "x" * 2001}, ["body", "content"]),
    ({}, ["body", "content"]),
])
def test_edit_validation(gw, shared, alice, body, loc):
    comment = post_comment(gw, alice, shared, "valid")
    response = gw.patch(f"/api/comments/{comment['id']}", json=body, token=alice.access_token)
    assert_validation_error(response, loc)
    assert listed(gw, alice, shared, comment["id"])["content"] == "valid"


def test_edit_and_delete_of_an_unknown_comment_are_404(gw, alice):
    unknown = str(uuid.uuid4())
    assert_detail(edit(gw, alice, {"id": unknown}, "x"), 404, f"Comment not found: {unknown}")
    assert_detail(gw.delete(f"/api/comments/{unknown}", token=alice.access_token), 404,
                  f"Comment not found: {unknown}")


def test_editing_window_closes_after_24_hours(gw, shared, alice):
    """A comment 25 h old: 403 with the window message, can_edit false, content unchanged."""
    comment = post_comment(gw, alice, shared, "old news")
    age_comment(comment["id"], "25 hours")
    assert_detail(edit(gw, alice, comment, "too late"), 403, WINDOW_OVER)
    seen = listed(gw, alice, shared, comment["id"])
    assert seen["content"] == "old news" and seen["can_edit"] is False and seen["can_delete"] is True


def test_a_23_hour_old_comment_is_still_editable(gw, shared, alice):
    comment = post_comment(gw, alice, shared, "yesterday")
    age_comment(comment["id"], "23 hours")
    assert listed(gw, alice, shared, comment["id"])["can_edit"] is True
    response = edit(gw, alice, comment, "still in time")
    assert_status(response, 200)
    assert response.json()["content"] == "still in time" and response.json()["can_edit"] is True


def test_is_edited_after_more_than_60_seconds(gw, shared, alice):
    """Edited 2 minutes after creation: is_edited true (in the answer and the list)."""
    comment = post_comment(gw, alice, shared, "first take")
    age_comment(comment["id"], "2 minutes")
    response = edit(gw, alice, comment, "second take")
    assert_status(response, 200)
    assert response.json()["is_edited"] is True
    assert listed(gw, alice, shared, comment["id"])["is_edited"] is True


def test_is_edited_stays_false_within_60_seconds(gw, shared, alice):
    """Edited 30 seconds after creation: is_edited false."""
    comment = post_comment(gw, alice, shared, "first take")
    age_comment(comment["id"], "30 seconds")
    response = edit(gw, alice, comment, "quick fix")
    assert_status(response, 200)
    assert response.json()["is_edited"] is False


# --- flags per caller -------------------------------------------------------------------------


def test_flags_follow_the_caller(gw, shared, alice, bob, owner, admin):
    """can_edit only for the author; can_delete for the author, the video's owner and the admin;
    each caller gets its own flags on the same (cached) list."""
    comment = post_comment(gw, alice, shared, "whose flags?")
    expected = {"alice": (True, True), "bob": (False, False), "owner": (False, True), "admin": (False, True)}
    for name, user in (("alice", alice), ("bob", bob), ("owner", owner), ("admin", admin), ("bob", bob)):
        seen = listed(gw, user, shared, comment["id"])
        assert (seen["can_edit"], seen["can_delete"]) == expected[name], f"flags for {name}: {seen}"


# --- deleting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("deleter", ["author", "owner", "admin"])
def test_author_video_owner_and_admin_delete(gw, shared, alice, owner, admin, deleter):
    """204 with no body; the comment is gone from the list and for PATCH."""
    comment = post_comment(gw, alice, shared, "short-lived")
    user = {"author": alice, "owner": owner, "admin": admin}[deleter]
    response = gw.delete(f"/api/comments/{comment['id']}", token=user.access_token)
    assert_status(response, 204)
    assert response.content == b""
    assert listed(gw, alice, shared, comment["id"]) is None
    assert_detail(edit(gw, alice, comment, "gone?"), 404, f"Comment not found: {comment['id']}")
    assert_detail(gw.delete(f"/api/comments/{comment['id']}", token=user.access_token), 404,
                  f"Comment not found: {comment['id']}")


def test_another_user_cannot_delete(gw, shared, alice, bob):
    comment = post_comment(gw, alice, shared, "stays")
    assert_detail(gw.delete(f"/api/comments/{comment['id']}", token=bob.access_token), 403, NO_DELETE)
    assert listed(gw, bob, shared, comment["id"]) is not None


def test_deleting_a_parent_deletes_its_replies(gw, video, alice, bob):
    """The replies go with their parent (the list, PATCH and the markers agree)."""
    parent = post_comment(gw, alice, video, "parent", timestamp_seconds=2)
    reply = post_comment(gw, bob, video, "reply", parent_id=parent["id"], timestamp_seconds=9)
    other = post_comment(gw, bob, video, "unrelated")
    assert_status(gw.delete(f"/api/comments/{parent['id']}", token=alice.access_token), 204)
    body = list_comments(gw, bob, video)
    assert ids(body) == [other["id"]] and body["total"] == 1 and body["comments"][0]["replies"] is None
    assert_detail(edit(gw, bob, reply, "orphan"), 404, f"Comment not found: {reply['id']}")
    assert comment_markers(gw, bob, video) == []


def test_deleting_the_last_reply_leaves_replies_null(gw, shared, alice, bob):
    """reply_count follows deletions of replies; with none left, replies is null."""
    parent = post_comment(gw, alice, shared, "parent")
    first = post_comment(gw, bob, shared, "one", parent_id=parent["id"])
    second = post_comment(gw, bob, shared, "two", parent_id=parent["id"])
    assert_status(gw.delete(f"/api/comments/{first['id']}", token=bob.access_token), 204)
    seen = listed(gw, alice, shared, parent["id"])
    assert seen["reply_count"] == 1 and [r["id"] for r in seen["replies"]] == [second["id"]]
    assert_status(gw.delete(f"/api/comments/{second['id']}", token=bob.access_token), 204)
    seen = listed(gw, alice, shared, parent["id"])
    assert seen["reply_count"] == 0 and seen["replies"] is None


# --- markers ----------------------------------------------------------------------------------


def test_markers_group_timed_comments_and_replies_by_second(gw, video, alice, bob):
    """Every comment and reply with a timestamp counts once at its second, ascending; untimed ones
    do not count."""
    at_5 = post_comment(gw, alice, video, "a", timestamp_seconds=5)
    post_comment(gw, bob, video, "b", timestamp_seconds=5)
    post_comment(gw, bob, video, "c", timestamp_seconds=12)
    post_comment(gw, alice, video, "untimed")
    post_comment(gw, bob, video, "reply at 2", parent_id=at_5["id"], timestamp_seconds=2)
    post_comment(gw, alice, video, "reply at 12", parent_id=at_5["id"], timestamp_seconds=12)
    post_comment(gw, alice, video, "untimed reply", parent_id=at_5["id"])
    assert comment_markers(gw, bob, video) == [
        {"seconds": 2, "count": 1}, {"seconds": 5, "count": 2}, {"seconds": 12, "count": 2},
    ]


# --- authors (social's read model of users) ---------------------------------------------------


def posted_avatar(gw, user, video: dict, avatar_url: str):
    """A new comment of `user` once its answer carries `avatar_url`, else None."""
    comment = post_comment(gw, user, video, "with avatar?")
    return comment if comment["author_avatar_url"] == avatar_url else None


def test_author_avatar_follows_auth(gw, video, bob, tmp_path):
    """After an avatar upload (auth.user.updated), the author's comments, old and new, carry its URL."""
    carol = new_user()
    before = post_comment(gw, carol, video, "no avatar yet")
    assert before["author_avatar_url"] is None
    response = gw.post("/api/users/me/avatar", token=carol.access_token,
                       files={"file": ("a.png", make_image(tmp_path, "a.png", "64x64"), "image/png")})
    assert_status(response, 200)
    avatar_url = response.json()["avatar_url"]
    assert avatar_url
    wait_until(lambda: posted_avatar(gw, carol, video, avatar_url), 10, "comments never show the new avatar")
    body = list_comments(gw, bob, video)
    assert {c["author_avatar_url"] for c in body["comments"]} == {avatar_url}
    assert before["id"] in ids(body)


def refusal(gw, token: str, path: str):
    response = gw.get(path, token=token)
    return response if response.status_code in (401, 403) else None


def test_a_deactivated_author_is_refused_but_their_comments_stay(gw, video, alice, admin):
    """A deactivated user's token is refused by social as media refuses it; their comment stays listed."""
    dave = new_user()
    comment = post_comment(gw, dave, video, "before leaving")
    assert_status(gw.delete(f"/api/users/{dave.id}", token=admin.access_token), 200)
    by_social = wait_until(lambda: refusal(gw, dave.access_token, comments_path(video)), 10,
                           "social still accepts a deactivated user's token")
    by_media = wait_until(lambda: refusal(gw, dave.access_token, "/api/videos/"), 10,
                          "media still accepts a deactivated user's token")
    assert (by_social.status_code, by_social.json()) == (by_media.status_code, by_media.json())
    listed_comment = list_comments(gw, alice, video)["comments"][0]
    assert listed_comment["id"] == comment["id"] and listed_comment["author_username"] == dave.username


# --- the event ----------------------------------------------------------------------------------


def test_comment_created_events(gw, shared, alice, bob, owner, events):
    """social.comment.created carries the video's owner and, for a reply, the parent's author."""
    listener = events("social.comment.created")
    top = post_comment(gw, alice, shared, "hello", timestamp_seconds=3)
    reply = post_comment(gw, bob, shared, "hi back", parent_id=top["id"])

    first = listener.wait_for("social.comment.created", comment_id=top["id"])["data"]
    expected = {"video_id": shared["id"], "video_short_id": shared["short_id"], "video_title": shared["title"],
                "video_owner_id": owner.id, "author_id": alice.id, "author_username": alice.username,
                "content": "hello", "timestamp_seconds": 3, "parent_id": None, "parent_author_id": None}
    assert_event_data(first, expected)

    second = listener.wait_for("social.comment.created", comment_id=reply["id"])["data"]
    assert_event_data(second, {**expected, "author_id": bob.id, "author_username": bob.username,
                               "content": "hi back", "timestamp_seconds": None, "parent_id": top["id"],
                               "parent_author_id": alice.id})


def assert_event_data(data: dict, expected: dict) -> None:
    """Every expected field is present with its value (UUIDs compared case-insensitively)."""
    for key, value in expected.items():
        assert key in data, f"event lacks {key}: {data}"
        actual = data[key]
        if isinstance(actual, str) and isinstance(value, str):
            actual, value = actual.lower(), value.lower()
        assert actual == value, f"event {key}: expected {value!r}, got {actual!r} in {data}"
