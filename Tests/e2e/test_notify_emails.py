"""Notify's emails: one per event and recipient, rendered in plain text and HTML, delivered over
SMTP to the test platform's receiver (whose inbox all tests share).

- invitation, password_reset, welcome: from auth's events, through the real API.
- video_processed (a real upload), video_failed (published as media would).
- new_comment to the video's owner, new_reply to the parent comment's author (real comments
  through social, and published ones); the owner's own comment sends nothing.
- A redelivered event sends nothing more; a kind the recipient turned off is not sent; emails
  made while SMTP is down arrive, once each, when it is back.

An absence is proved by a later email of an enabled kind to the same user: once that one came,
the earlier one would have come too.
"""

import re
import secrets
import time
from collections import Counter

import pytest

from auth_client import unique_name
from auth_events import EventListener, publish
from notify_support import (
    assert_email, assert_in_both_parts, comment_envelope, envelope_video, event_id, html_part, inbox, known_user,
    mails, public_url, recipient, set_preferences, text_links, text_of, video_envelope, video_link,
    wait_mail,
)
from social_support import gateway_session, new_user, post_comment, ready_video
from support import wait_for

KINDS = {"invitation", "password_reset", "welcome", "video_processed", "video_failed", "new_comment", "new_reply"}


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture(scope="module")
def uploader():
    return known_user("up")


@pytest.fixture(scope="module")
def alice():
    return known_user("al")


@pytest.fixture(scope="module")
def carol():
    return known_user("ca")


@pytest.fixture(scope="module")
def processed(mgw, uploader):
    """A real upload of `uploader`, processed by a worker: (the video, its media.video.processed event)."""
    listener = EventListener(["media.video.processed"])
    try:
        video = ready_video(mgw, uploader, title=f"Notify clip {secrets.token_hex(3)}")
        event = wait_for(lambda: next((e for e in listener.matching("media.video.processed")
                                       if str(e["data"]["video"]["id"]).lower() == video["id"].lower()), None), 20)
        assert event, f"no media.video.processed event for video {video['id']}"
        return video, event
    finally:
        listener.close()


@pytest.fixture(scope="module")
def video(processed):
    return processed[0]


def comment_event(listener, comment: dict) -> dict:
    return listener.wait_for("social.comment.created", comment_id=comment["id"])


def later_mail_arrives(user) -> None:
    """Publishes a video_failed event for `user` and waits for its email: every email of an
    event handled before it has been sent by then."""
    marker = video_envelope("failed", user)
    publish(marker)
    wait_mail(to=user.email, kind="video_failed", event=marker["id"])


def only_one(to: str, kind: str, event: str = None):
    found = mails(to=to, kind=kind, event=event)
    assert len(found) == 1, f"{len(found)} {kind} emails to {to} (event {event}), expected exactly one"
    return found[0]


# --- auth's emails ------------------------------------------------------------------------------


def test_invitation_email_carries_the_invitation_link(mgw, admin):
    """POST /api/invitations/ mails the invited address the response's invitation_link."""
    address = f"{unique_name('inv')}@example.com"
    response = mgw.post("/api/invitations/", json={"email": address}, token=admin.access_token)
    assert response.status_code == 201, response.text
    link = response.json()["invitation_link"]
    assert link == f"{public_url()}/register/{response.json()['token']}", response.json()
    msg = wait_mail(to=address, kind="invitation")
    assert_email(msg, address, "invitation", "You're invited to Clipset", link)
    only_one(address, "invitation")


def test_forgot_password_email_links_a_working_token(mgw):
    """forgot-password for a known address mails a {PUBLIC_URL}/reset-password?token=... link whose
    token auth accepts."""
    user = known_user("fp")
    response = mgw.post("/api/auth/forgot-password", json={"email": user.email})
    assert response.status_code == 200, response.text
    msg = wait_mail(to=user.email, kind="password_reset")
    pattern = re.compile(re.escape(public_url()) + r"/reset-password\?token=([A-Za-z0-9_-]{43})$")
    found = [m for m in map(pattern.match, text_links(msg)) if m]
    assert found, f"no reset link in the text part: {text_links(msg)}"
    assert_email(msg, user.email, "password_reset", "Reset your Clipset password", found[0].group(0))
    check = mgw.get("/api/auth/verify-reset-token", params={"token": found[0].group(1)})
    assert check.status_code == 200 and check.json() == {"username": user.username}, check.text
    only_one(user.email, "password_reset")


def test_admin_reset_link_email_equals_the_response(mgw, admin):
    """generate-reset-link by an admin mails the user exactly the reset_link of the response."""
    user = known_user("ar")
    response = mgw.post(f"/api/users/{user.id}/generate-reset-link", token=admin.access_token)
    assert response.status_code == 200, response.text
    msg = wait_mail(to=user.email, kind="password_reset")
    assert_email(msg, user.email, "password_reset", "Reset your Clipset password", response.json()["reset_link"])
    only_one(user.email, "password_reset")


def test_welcome_email_greets_the_new_user(events):
    """Registering mails a welcome with the home page link, tagged with auth.user.registered's id."""
    listener = events("auth.user.registered")
    user = new_user(unique_name("wl"))
    event = listener.wait_for("auth.user.registered", user_id=user.id)
    msg = wait_mail(to=user.email, kind="welcome")
    assert_email(msg, user.email, "welcome", f"Welcome to Clipset, {user.username}", public_url() + "/")
    assert event_id(msg) == event["id"].lower(), f"X-Clipset-Event {event_id(msg)} is not the event {event['id']}"
    only_one(user.email, "welcome")


# --- media's emails -----------------------------------------------------------------------------


def test_video_processed_email_from_a_real_upload(processed, uploader):
    """A processed upload mails its uploader 'Your video "<title>" is ready' with /v/<short_id>."""
    video, event = processed
    msg = wait_mail(to=uploader.email, kind="video_processed", event=event["id"])
    assert_email(msg, uploader.email, "video_processed", f'Your video "{video["title"]}" is ready',
                 video_link(video["short_id"]))
    only_one(uploader.email, "video_processed", event["id"])


def test_video_failed_email_names_the_error(uploader):
    """media.video.failed mails the uploader the video's link and the error message."""
    error = f"Invalid data found when processing input {secrets.token_hex(3)}"
    env = video_envelope("failed", uploader, error=error)
    publish(env)
    msg = wait_mail(to=uploader.email, kind="video_failed", event=env["id"])
    video = envelope_video(env)
    assert_email(msg, uploader.email, "video_failed", f'Your video "{video["title"]}" could not be processed',
                 video_link(video["short_id"]))
    assert_in_both_parts(msg, error)


# --- social's emails ----------------------------------------------------------------------------


def test_new_comment_email_from_a_real_comment(mgw, video, uploader, alice, events):
    """A top-level comment through social mails the video's owner the author, title, text and link."""
    listener = events("social.comment.created")
    text = f"Lovely colours {secrets.token_hex(3)}"
    event = comment_event(listener, post_comment(mgw, alice, video, text))
    msg = wait_mail(to=uploader.email, kind="new_comment", event=event["id"])
    assert_email(msg, uploader.email, "new_comment", f'{alice.username} commented on "{video["title"]}"',
                 video_link(video["short_id"]))
    assert_in_both_parts(msg, text)


def test_comment_text_is_escaped_in_html_only(uploader, alice):
    """Markup in a comment is shown as typed: verbatim in the text part, escaped in the HTML part."""
    text = f"<b>bold</b> & <script>x()</script> {secrets.token_hex(3)}"
    env = comment_envelope(uploader, alice, text)
    publish(env)
    msg = wait_mail(to=uploader.email, kind="new_comment", event=env["id"])
    assert_in_both_parts(msg, text)
    raw = text_of(html_part(msg))
    assert "<script>" not in raw and "<b>bold</b>" not in raw, f"comment markup is not escaped in HTML:\n{raw[:1500]}"


def test_new_reply_goes_to_the_parent_author_only(mgw, video, uploader, alice, carol, events):
    """A reply mails the parent comment's author; the video's owner gets nothing for it."""
    listener = events("social.comment.created")
    top = post_comment(mgw, carol, video, "A question about the intro")
    text = f"Here is the answer {secrets.token_hex(3)}"
    reply = post_comment(mgw, alice, video, text, parent_id=top["id"])
    top_event, reply_event = comment_event(listener, top), comment_event(listener, reply)
    msg = wait_mail(to=carol.email, kind="new_reply", event=reply_event["id"])
    assert_email(msg, carol.email, "new_reply", f'{alice.username} replied to your comment on "{video["title"]}"',
                 video_link(video["short_id"]))
    assert_in_both_parts(msg, text)
    wait_mail(to=uploader.email, kind="new_comment", event=top_event["id"])
    later_mail_arrives(uploader)
    assert mails(to=uploader.email, event=reply_event["id"]) == [], "the owner was mailed about a reply"
    assert len(mails(event=reply_event["id"])) == 1, "the reply was mailed to more than its parent's author"


def test_reply_to_the_owner_sends_only_new_reply(mgw, video, uploader, alice, events):
    """A reply to the owner's comment on their video: one new_reply to the owner, no new_comment."""
    listener = events("social.comment.created")
    top = post_comment(mgw, uploader, video, "Thanks for watching")
    reply = post_comment(mgw, alice, video, "You are welcome", parent_id=top["id"])
    reply_event = comment_event(listener, reply)
    wait_mail(to=uploader.email, kind="new_reply", event=reply_event["id"])
    later_mail_arrives(uploader)
    kinds = [str(m["X-Clipset-Kind"]) for m in mails(event=reply_event["id"])]
    assert kinds == ["new_reply"], f"emails for the reply: {kinds}"


def test_owner_comment_on_own_video_sends_nothing(mgw, video, uploader, events):
    """The owner commenting on their own video mails nobody."""
    listener = events("social.comment.created")
    event = comment_event(listener, post_comment(mgw, uploader, video, "Director's note"))
    later_mail_arrives(uploader)
    assert mails(event=event["id"]) == [], f"emails for the owner's own comment: {len(mails(event=event['id']))}"


# --- once, preferences, outages --------------------------------------------------------------------


def test_redelivered_event_sends_one_email(uploader):
    """The same envelope (same id) delivered three times, twice at once and once later: one email."""
    env = video_envelope("failed", uploader)
    publish(env, env)
    wait_mail(to=uploader.email, kind="video_failed", event=env["id"])
    publish(env)
    later_mail_arrives(uploader)
    only_one(uploader.email, "video_failed", env["id"])


def test_opted_out_kind_is_not_sent(mgw, alice):
    """With new_comment turned off, a comment mails nothing while a reply (new_reply) still does."""
    user = known_user("opt")
    set_preferences(mgw, user, new_comment=False)
    muted = comment_envelope(user, alice, "Nobody mails this")
    publish(muted)
    reply = comment_envelope(alice, alice, "But this one goes", parent_author=user)
    publish(reply)
    wait_mail(to=user.email, kind="new_reply", event=reply["id"])
    assert mails(event=muted["id"]) == [], "an email of a kind the user turned off was sent"
    assert mails(to=user.email, kind="new_comment") == []


def test_emails_wait_while_smtp_is_down(mgw, infra, uploader):
    """With SMTP stopped, a forgot-password and a failed video send nothing; once it is back both
    arrive, once each, within 20 s."""
    user = known_user("down")
    failed = video_envelope("failed", uploader)
    infra("stop", "smtp")
    try:
        response = mgw.post("/api/auth/forgot-password", json={"email": user.email})
        assert response.status_code == 200, response.text
        publish(failed)
        time.sleep(3)  # deliberate: nothing can arrive while the receiver is down
        assert mails(to=user.email, kind="password_reset") == [] and mails(event=failed["id"]) == []
    finally:
        infra("start", "smtp")
    wait_mail(to=user.email, kind="password_reset", timeout=20)
    wait_mail(to=uploader.email, kind="video_failed", event=failed["id"], timeout=20)
    later_mail_arrives(uploader)
    only_one(user.email, "password_reset")
    only_one(uploader.email, "video_failed", failed["id"])


def test_zz_no_email_arrived_twice():
    """Across the whole inbox, no (event, kind, recipient) was mailed twice."""
    keys = Counter((event_id(m), str(m["X-Clipset-Kind"]), recipient(m)) for m in inbox()
                   if str(m.get("X-Clipset-Kind", "")) in KINDS)
    assert keys, "no Clipset email in the inbox"
    twice = {key: n for key, n in keys.items() if n > 1}
    assert not twice, f"mailed more than once: {twice}"
