"""In-app notifications: GET /api/notifications, POST /api/notifications/{id}/read and
POST /api/notifications/read-all, through the gateway.

notify makes one for video_processed, video_failed, new_comment and new_reply events (whatever
the email preferences say), only for the recipient. Each test seeds a fresh user with the four
kinds, published as media and social would, one after the other (so their order is known).
"""

import pytest

from auth_client import assert_detail, assert_json, assert_validation_error, random_uuid
from auth_events import publish
from notify_support import (
    assert_notification, comment_envelope, envelope_video, known_user, list_notifications,
    list_response, read_all, read_one, set_preferences, video_envelope, wait_notifications,
)
from social_support import gateway_session

NEWEST_FIRST = ["new_reply", "new_comment", "video_failed", "video_processed"]


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture(scope="module")
def author():
    """The other party: comments on the seeded users' videos and replies to them."""
    return known_user("au")


def seed(gw, user, author) -> list:
    """Publishes, one at a time, video_processed, video_failed, new_comment and new_reply events for
    `user`, waiting for each notification; returns the envelopes, oldest first."""
    envelopes = [
        video_envelope("processed", user),
        video_envelope("failed", user),
        comment_envelope(user, author, "A comment"),
        comment_envelope(author, author, "A reply", parent_author=user),
    ]
    for count, env in enumerate(envelopes, 1):
        publish(env)
        wait_notifications(gw, user, count)
    return envelopes


@pytest.fixture
def seeded(mgw, author):
    """(a fresh user with four notifications, their envelopes oldest first)."""
    user = known_user("in")
    return user, seed(mgw, user, author)


def ids(body: dict) -> list:
    return [item["id"] for item in body["notifications"]]


def test_list_is_newest_first_with_counts(mgw, seeded):
    """The four kinds are listed newest first with their /v/<short_id> links, all unread."""
    user, envelopes = seeded
    body = list_notifications(mgw, user)
    assert [item["kind"] for item in body["notifications"]] == NEWEST_FIRST, body
    assert body["total"] == 4 and body["unread_count"] == 4, body
    expected_links = [f"/v/{envelope_video(env)['short_id']}" for env in reversed(envelopes)]
    assert [item["link"] for item in body["notifications"]] == expected_links, body
    created = [item["created_at"] for item in body["notifications"]]
    assert created == sorted(created, reverse=True), f"not newest first: {created}"
    assert all(item["read_at"] is None and item["is_read"] is False for item in body["notifications"]), body


def test_only_the_recipient_sees_them(mgw, seeded, author):
    """Neither the comment author nor an unrelated user sees the recipient's notifications."""
    user, _ = seeded
    mine = set(ids(list_notifications(mgw, user)))
    assert not mine & set(ids(list_notifications(mgw, author, limit=100))), "the author sees the recipient's"
    stranger = known_user("st")
    assert list_notifications(mgw, stranger) == {"notifications": [], "total": 0, "unread_count": 0}


def test_reading_one_sets_read_at_once(mgw, seeded):
    """Reading one answers it with read_at set, lowers unread_count; reading again keeps read_at."""
    user, _ = seeded
    target = list_notifications(mgw, user)["notifications"][1]
    response = read_one(mgw, user, target["id"])
    assert response.status_code == 200, response.text
    first = assert_notification(assert_json(response))
    assert first["id"] == target["id"] and first["kind"] == target["kind"], first
    assert first["is_read"] is True and first["read_at"] is not None, first
    body = list_notifications(mgw, user)
    assert body["total"] == 4 and body["unread_count"] == 3, body
    assert body["notifications"][1]["read_at"] == first["read_at"], body
    again = read_one(mgw, user, target["id"])
    assert again.status_code == 200, again.text
    assert again.json()["read_at"] == first["read_at"], f"reading twice moved read_at: {again.json()}"
    assert list_notifications(mgw, user)["unread_count"] == 3


def test_read_all_counts_what_it_marked(mgw, seeded):
    """read-all answers {"updated": n} with n the unread ones, then {"updated": 0}."""
    user, _ = seeded
    newest = list_notifications(mgw, user)["notifications"][0]
    assert read_one(mgw, user, newest["id"]).status_code == 200
    response = read_all(mgw, user)
    assert response.status_code == 200, response.text
    assert assert_json(response) == {"updated": 3}
    body = list_notifications(mgw, user)
    assert body["unread_count"] == 0 and body["total"] == 4, body
    assert all(item["is_read"] for item in body["notifications"]), body
    assert read_all(mgw, user).json() == {"updated": 0}


def test_unread_only_filter(mgw, seeded):
    """unread_only=true lists (and counts in total) only the unread ones; false lists all."""
    user, _ = seeded
    everything = ids(list_notifications(mgw, user))
    assert read_one(mgw, user, everything[0]).status_code == 200
    unread = list_notifications(mgw, user, unread_only="true")
    assert ids(unread) == everything[1:], unread
    assert unread["total"] == 3 and unread["unread_count"] == 3, unread
    every = list_notifications(mgw, user, unread_only="false")
    assert ids(every) == everything and every["total"] == 4, every


def test_paging_with_skip_and_limit(mgw, seeded):
    """skip/limit page through the list; total stays the full count."""
    user, _ = seeded
    everything = ids(list_notifications(mgw, user))
    first = list_notifications(mgw, user, limit=2)
    second = list_notifications(mgw, user, skip=2, limit=2)
    assert ids(first) == everything[:2] and ids(second) == everything[2:], (first, second)
    assert first["total"] == second["total"] == 4
    past = list_notifications(mgw, user, skip=2147483647, limit=100)
    assert past["notifications"] == [] and past["total"] == 4, past


@pytest.mark.parametrize("params, loc", [
    ({"limit": 0}, ["query", "limit"]),
    ({"limit": 101}, ["query", "limit"]),
    ({"skip": -1}, ["query", "skip"]),
    ({"skip": 2147483648}, ["query", "skip"]),
    ({"unread_only": "maybe"}, ["query", "unread_only"]),
])
def test_bad_query_parameters_are_422(mgw, author, params, loc):
    """limit outside 1..100, skip outside 0..2^31-1, unread_only not a boolean: 422."""
    assert_validation_error(list_response(mgw, author, **params), loc)


def test_limit_100_is_allowed(mgw, author):
    """The largest limit answers 200."""
    assert list_response(mgw, author, limit=100).status_code == 200


def test_malformed_id_is_422(mgw, author):
    """A notification id that is no UUID: 422 at the path."""
    response = mgw.post("/api/notifications/not-a-uuid/read", token=author.access_token)
    assert response.status_code == 422, response.text
    locs = [error.get("loc") for error in assert_json(response)["detail"]]
    assert any(loc and loc[0] == "path" for loc in locs), locs


def test_someone_elses_or_unknown_id_is_404(mgw, seeded, author):
    """Another user's notification and an unknown id: 404; the owner's stays unread."""
    user, _ = seeded
    target = list_notifications(mgw, user)["notifications"][0]
    assert_detail(read_one(mgw, author, target["id"]), 404, "Notification not found")
    assert_detail(read_one(mgw, user, random_uuid()), 404, "Notification not found")
    assert list_notifications(mgw, user)["notifications"][0]["read_at"] is None


def test_email_preferences_do_not_stop_in_app(mgw, author):
    """With every email kind turned off, each event still makes its in-app notification."""
    user = known_user("pr")
    set_preferences(mgw, user, video_processed=False, video_failed=False, new_comment=False, new_reply=False)
    envelopes = seed(mgw, user, author)
    body = list_notifications(mgw, user)
    assert [item["kind"] for item in body["notifications"]] == NEWEST_FIRST, body
    assert body["notifications"][1]["link"] == f"/v/{envelope_video(envelopes[2])['short_id']}", body


def test_notifications_need_a_token(mgw):
    """Without a token the list is 401."""
    assert mgw.get("/api/notifications").status_code == 401

