"""The managing pages in a real Chromium: playlists (build one, reorder it by drag and drop AND
by keyboard, checked through the API), notifications (list, mark read, the bell's count) and
their email preferences, and the admin area (invite someone who registers from the emailed
link, deactivate/activate a user, revoke an invitation, a category with an image, a transcoding
setting, the quota reset, every section loading at desktop and phone width).

Every test signs in through the app itself (the login form once; elsewhere the page's own
`session.signIn`, which is what the form calls), saves screenshots with `shot(...)`, and fails on
any browser console error (conftest.py).
"""

import re
import secrets
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from auth_client import Api, unique_name
from auth_events import publish
from browser_support import (By, button, drag_and_drop, field_by_label, fill, send_file, session_state, sign_in_via_ui,
                             video_state, wait_app_ready, wait_for_text, wait_hidden, wait_present, wait_until, wait_url,
                             wait_visible)
from notify_support import comment_envelope, known_user, links, video_envelope, wait_mail, wait_notifications
from social_support import cached_admin, gateway_session, new_user, ready_videos

try:
    from selenium.webdriver.common.keys import Keys
except ImportError:  # conftest.py skips (or fails, on CI) with the reason before a test runs
    Keys = None

# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def mgw():
    with gateway_session() as session:
        yield session


@pytest.fixture(scope="module")
def curator():
    """A user with three processed videos of their own, to build playlists from."""
    return new_user(unique_name("cur"))


@pytest.fixture(scope="module")
def clips(mgw, curator):
    return ready_videos(mgw, curator, 3, title=f"Clip {secrets.token_hex(2)}")


def sign_in(browser, user, path: str) -> None:
    """Signs `user` in through the app's own session.signIn (what the login form calls; a previous
    sign-in is forgotten first) and opens `path` with the app's router; waits until the page has
    settled."""
    if session_state(browser) == "user":
        # Forget the previous sign-in the way the README says (IndexedDB and the auth worker).
        browser.get("about:blank")
        browser.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": browser.base_url, "storageTypes": "all"})
    browser.open("/login")
    wait_until(browser, lambda b: session_state(b) == "guest", message="the login page did not settle signed out")
    browser.set_script_timeout(20)
    outcome = browser.execute_async_script("""
        const [username, password, done] = arguments;
        window.clipset.session.signIn(username, password).then(() => done('ok'), (e) => done(String(e && e.message || e)));
    """, user.username, user.password)
    assert outcome == "ok", f"sign-in of {user.username} failed: {outcome}"
    go(browser, path)


def go(browser, path: str) -> None:
    """Client-side navigation (no reload: the session stays in the page)."""
    browser.execute_script("window.clipset.router.navigate(arguments[0])", path)
    wait_url(browser, path.split("?")[0] if "?" not in path else path)
    wait_app_ready(browser)
    wait_until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "[aria-busy='true']"),
               message="the page is still loading (aria-busy)")


def page_api(browser, method: str, path: str, body=None):
    """An API call from the page, as the signed-in user (through the app's own client)."""
    browser.set_script_timeout(20)
    result = browser.execute_async_script("""
        const [method, path, body, done] = arguments;
        import('/app/api.js').then(({ api }) => api[method](path, ...(body === null ? [] : [body])))
          .then((answer) => done({ ok: true, answer }), (e) => done({ ok: false, status: e.status, message: e.message }));
    """, method.lower(), path, body)
    assert result["ok"], f"{method} {path}: {result}"
    return result["answer"]


def by_aria_label(browser, label: str, timeout: float = 10):
    return wait_visible(browser, f"[aria-label=\"{label}\"]", timeout)


def click(browser, el) -> None:
    """Scrolls `el` to the middle of the viewport (clear of toasts and sticky bars) and clicks it."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def confirm(browser, label: str) -> None:
    """Presses `label` in the open confirmation dialog and waits until it has closed."""
    dialog = wait_visible(browser, "dialog[open]")
    dialog.find_element(By.XPATH, f".//button[contains(normalize-space(.), '{label}')]").click()
    wait_hidden(browser, "dialog[open]")


def admin_token() -> str:
    return cached_admin().access_token


def live_text(browser) -> str:
    """What the reorder live region says now (it is visually hidden, so not in .text)."""
    return browser.execute_script("return document.querySelector('.sortable-wrap [aria-live]').textContent")


def row_titles(browser) -> list:
    return browser.execute_script(
        "return [...document.querySelectorAll('.sortable__item .pl-row__link')].map((a) => a.firstChild.textContent)")


def wait_order_saved(browser) -> None:
    wait_for_text(browser, "Order saved", ".sortable__status")


def server_order(mgw, user, short_id: str) -> list:
    response = mgw.get(f"/api/playlists/{short_id}", token=user.access_token)
    assert response.status_code == 200, response.text[:300]
    entries = response.json()["videos"]
    assert [e["position"] for e in entries] == list(range(len(entries))), entries
    return [e["video"]["title"] for e in entries]


def no_sideways_scroll(browser) -> None:
    width = browser.execute_script("return innerWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width, \
        f"the page is wider than the {width} px viewport"


_png = []


def category_png() -> Path:
    """A 640x400 PNG of ffmpeg's test pattern (made once)."""
    if not _png:
        path = Path(tempfile.mkdtemp(prefix="clipset-manage-")) / "category.png"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc=size=640x400", "-frames:v", "1", str(path)], check=True, timeout=60)
        _png.append(path)
    return _png[0]


# --- playlists --------------------------------------------------------------------------------


def test_build_a_playlist_and_reorder_it_by_drag_and_drop_and_keyboard(browser, shot, mgw, curator, clips):
    a, b, c = (clip["title"] for clip in clips)
    sign_in(browser, curator, "/playlists")
    wait_for_text(browser, "No playlists yet")
    shot("playlists-empty")

    # Create: the dialog, Enter saves, the new playlist opens.
    button(browser, "New playlist").click()
    fill(field_by_label(browser, "Name"), f"Road trip {secrets.token_hex(2)}")
    field_by_label(browser, "Description").send_keys("For the long drive north.")
    shot("playlist-create-dialog")
    field_by_label(browser, "Name").send_keys(Keys.ENTER)
    wait_url(browser, re.compile(r"/p/[0-9A-Za-z]{10}$"))
    short_id = urlsplit(browser.current_url).path.split("/")[2]
    wait_for_text(browser, "This playlist is empty")

    # Add the three clips with the picker, in the order a, b, c.
    button(browser, "Add videos").click()
    wait_visible(browser, "dialog[open] .picker")
    field_by_label(browser, "Only my videos").click()
    for clip in clips:
        box = wait_present(browser, f"dialog[open] input[value='{clip['id']}']")
        click(browser, box)
    wait_for_text(browser, "3 videos selected", "dialog[open]")
    shot("playlist-picker")
    button(browser, "Add 3 videos").click()
    wait_hidden(browser, "dialog[open]")
    wait_until(browser, lambda br: len(row_titles(br)) == 3, message="three rows after adding")
    assert row_titles(browser) == [a, b, c]
    assert server_order(mgw, curator, short_id) == [a, b, c]
    shot("playlist-built")

    # Keyboard 1: Alt+Down on the first row's link moves it down, focus stays on it, announced.
    link = browser.find_elements(By.CSS_SELECTOR, ".sortable__item .pl-row__link")[0]
    link.send_keys(Keys.ALT, Keys.ARROW_DOWN)
    wait_until(browser, lambda br: row_titles(br) == [b, a, c], message=lambda: f"order {row_titles(browser)}")
    assert browser.switch_to.active_element == link, "focus left the moved row"
    wait_until(browser, lambda br: live_text(br) == f"“{a}” moved to position 2 of 3.",
               message=lambda: f"the live region says {live_text(browser)!r}")
    # Keyboard 2: pick the last row up with its grip (Enter), Home sends it to the top, Enter drops.
    grip = browser.find_elements(By.CSS_SELECTOR, ".sortable__handle")[2]
    grip.send_keys(Keys.ENTER)
    assert grip.get_attribute("aria-pressed") == "true"
    shot("playlist-keyboard-grabbed")
    grip.send_keys(Keys.HOME)
    grip.send_keys(Keys.ENTER)
    assert grip.get_attribute("aria-pressed") == "false"
    wait_until(browser, lambda br: row_titles(br) == [c, b, a], message=lambda: f"order {row_titles(browser)}")
    wait_order_saved(browser)
    assert server_order(mgw, curator, short_id) == [c, b, a]
    # Keyboard 3: Escape puts a picked-up row back.
    grip = browser.find_elements(By.CSS_SELECTOR, ".sortable__handle")[0]
    grip.send_keys(Keys.ENTER)
    grip.send_keys(Keys.ARROW_DOWN)
    assert row_titles(browser) == [b, c, a]
    grip.send_keys(Keys.ESCAPE)
    assert row_titles(browser) == [c, b, a]
    # The visible Move up button.
    click(browser, by_aria_label(browser, f"Move “{a}” up"))
    wait_until(browser, lambda br: row_titles(br) == [c, a, b], message=lambda: f"order {row_titles(browser)}")
    wait_order_saved(browser)
    assert server_order(mgw, curator, short_id) == [c, a, b]

    # Drag and drop: the first row's grip onto the lower half of the last row.
    rows = browser.find_elements(By.CSS_SELECTOR, ".sortable__item")
    drag_and_drop(browser, rows[0].find_element(By.CSS_SELECTOR, ".sortable__handle"), rows[2], at="after")
    wait_until(browser, lambda br: row_titles(br) == [a, b, c], message=lambda: f"order {row_titles(browser)}")
    wait_order_saved(browser)
    assert server_order(mgw, curator, short_id) == [a, b, c]
    # ... and onto the upper half of the first row.
    rows = browser.find_elements(By.CSS_SELECTOR, ".sortable__item")
    drag_and_drop(browser, rows[2].find_element(By.CSS_SELECTOR, ".sortable__handle"), rows[0], at="before")
    wait_until(browser, lambda br: row_titles(br) == [c, a, b], message=lambda: f"order {row_titles(browser)}")
    wait_order_saved(browser)
    assert server_order(mgw, curator, short_id) == [c, a, b]
    shot("playlist-reordered")

    # Play-through links: /v/{video}?list={playlist}&i={position}, in the new order.
    by_title = {clip["title"]: clip for clip in clips}
    hrefs = browser.execute_script("return [...document.querySelectorAll('.pl-row__link')].map((l) => l.getAttribute('href'))")
    assert hrefs == [f"/v/{by_title[t]['short_id']}?list={short_id}&i={i}" for i, t in enumerate([c, a, b])], hrefs
    play = browser.find_element(By.CSS_SELECTOR, "[data-testid='play-all']")
    assert play.get_attribute("href").endswith(f"/v/{by_title[c]['short_id']}?list={short_id}&i=0")

    # The order survives a reload; the phone layout has no sideways scrolling.
    browser.refresh()
    wait_app_ready(browser)
    wait_until(browser, lambda br: row_titles(br) == [c, a, b], message=lambda: f"order after reload {row_titles(browser)}")
    browser.use_phone()
    no_sideways_scroll(browser)
    shot("playlist-phone")


def test_rename_remove_a_video_and_delete_a_playlist(browser, shot, mgw, curator, clips):
    created = mgw.post("/api/playlists/", json={"name": "Rename me"}, token=curator.access_token).json()
    mgw.post(f"/api/playlists/{created['short_id']}/videos/batch", json={"video_ids": [c["id"] for c in clips]},
             token=curator.access_token)
    sign_in(browser, curator, f"/p/{created['short_id']}")
    wait_until(browser, lambda br: len(row_titles(br)) == 3, message="three rows")

    button(browser, "Edit").click()
    fill(field_by_label(browser, "Name"), "Renamed playlist")
    button(browser, "Save changes").click()
    wait_hidden(browser, "dialog[open]")
    wait_for_text(browser, "Renamed playlist", "h1")
    assert mgw.get(f"/api/playlists/{created['short_id']}", token=curator.access_token).json()["name"] == "Renamed playlist"

    first = clips[0]["title"]
    click(browser, by_aria_label(browser, f"Remove “{first}” from the playlist"))
    wait_for_text(browser, "The video itself stays", "dialog[open]")
    shot("playlist-remove-confirm")
    confirm(browser, "Remove")
    wait_until(browser, lambda br: first not in row_titles(br), message="the row is still there")
    assert server_order(mgw, curator, created["short_id"]) == [clips[1]["title"], clips[2]["title"]]

    # Someone else sees it read-only: no grips, no move buttons, but Play all.
    stranger = new_user()
    sign_in(browser, stranger, f"/p/{created['short_id']}")
    wait_until(browser, lambda br: len(br.find_elements(By.CSS_SELECTOR, ".sortable__item")) == 2, message="two rows")
    assert not browser.find_elements(By.CSS_SELECTOR, ".sortable__handle, .sortable__move")
    assert not browser.find_elements(By.XPATH, "//button[contains(., 'Delete')]")
    shot("playlist-as-stranger")

    sign_in(browser, curator, f"/p/{created['short_id']}")
    button(browser, "Delete").click()
    confirm(browser, "Delete playlist")
    wait_url(browser, "/playlists")
    assert mgw.get(f"/api/playlists/{created['short_id']}", token=curator.access_token).status_code == 404


def test_a_playlist_plays_through_on_the_watch_page(browser, shot, mgw, curator, clips):
    """/v/{video}?list={playlist}&i={position}: the queue bar (playlist, "1 of 3", Previous/Next),
    and the end of the video opens the next one with i=1."""
    created = mgw.post("/api/playlists/", json={"name": f"Play through {secrets.token_hex(2)}"},
                       token=curator.access_token).json()
    short_id = created["short_id"]
    mgw.post(f"/api/playlists/{short_id}/videos/batch", json={"video_ids": [c["id"] for c in clips]},
             token=curator.access_token)
    entries = mgw.get(f"/api/playlists/{short_id}", token=curator.access_token).json()["videos"]
    first, second = entries[0]["video"], entries[1]["video"]

    sign_in(browser, curator, f"/v/{first['short_id']}?list={short_id}&i=0")
    bar = wait_visible(browser, "[data-testid='playlist-queue']")
    wait_until(browser, lambda br: "1 of 3" in bar.text, message=lambda: f"queue bar says {bar.text!r}")
    assert bar.find_element(By.CSS_SELECTOR, "a.watch-queue__name").get_attribute("href").endswith(f"/p/{short_id}")
    assert not bar.find_elements(By.XPATH, ".//a[starts-with(@aria-label, 'Previous')]")
    following = bar.find_element(By.XPATH, ".//a[starts-with(@aria-label, 'Next')]")
    assert following.get_attribute("aria-label") == f"Next: {second['title']}"
    assert following.get_attribute("href").endswith(f"/v/{second['short_id']}?list={short_id}&i=1")
    shot("watch-playlist-queue")

    # Near the end, play: the video ends and the next one opens (and plays).
    wait_until(browser, lambda br: (video_state(br) or {}).get("duration", 0) > 0.5,
               message=lambda: f"no duration: {video_state(browser)}")
    browser.execute_script("""
        const v = document.querySelector('video');
        v.muted = true;
        v.currentTime = Math.max(0, v.duration - 0.2);
        v.play();
    """)
    wait_url(browser, f"/v/{second['short_id']}?list={short_id}&i=1", 20)
    bar = wait_visible(browser, "[data-testid='playlist-queue']")
    wait_until(browser, lambda br: "2 of 3" in br.find_element(By.CSS_SELECTOR, "[data-testid='playlist-queue']").text,
               message="the queue bar does not say 2 of 3")
    assert browser.find_element(By.XPATH, "//nav[@data-testid='playlist-queue']//a[starts-with(@aria-label, 'Previous')]") \
        .get_attribute("aria-label") == f"Previous: {first['title']}"

    # Without ?list= there is no queue bar.
    go(browser, f"/v/{second['short_id']}")
    wait_present(browser, "video")
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid='playlist-queue']")


# --- notifications ------------------------------------------------------------------------------


def bell_count(browser) -> str:
    badge = browser.find_element(By.CSS_SELECTOR, ".notification-bell__count")
    return "" if badge.get_attribute("hidden") is not None else badge.text


def test_notifications_list_mark_read_and_the_bell(browser, shot, mgw):
    user = known_user("nt")
    author = known_user("na")
    for count, env in enumerate([video_envelope("processed", user), video_envelope("failed", user),
                                 comment_envelope(user, author, "Lovely light in this one")], 1):
        publish(env)
        wait_notifications(mgw, user, count)

    sign_in(browser, user, "/notifications")
    wait_until(browser, lambda br: len(br.find_elements(By.CSS_SELECTOR, ".notice")) == 3, message="three notifications")
    wait_for_text(browser, "You have 3 unread notifications.")
    wait_until(browser, lambda br: bell_count(br) == "3", message=lambda: f"bell shows {bell_count(browser)!r}")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".notice.is-unread")) == 3
    shot("notifications-unread")

    # Mark the newest (the comment) read: the count, the bell and the API follow.
    newest = browser.find_elements(By.CSS_SELECTOR, ".notice")[0]
    assert "Lovely light" in newest.text or "comment" in newest.text.lower(), newest.text
    newest.find_element(By.CSS_SELECTOR, ".notice__mark").click()
    wait_until(browser, lambda br: "is-unread" not in newest.get_attribute("class"), message="still unread")
    wait_for_text(browser, "You have 2 unread notifications.")
    wait_until(browser, lambda br: bell_count(br) == "2", message=lambda: f"bell shows {bell_count(browser)!r}")
    body = mgw.get("/api/notifications", token=user.access_token).json()
    assert body["unread_count"] == 2 and body["notifications"][0]["is_read"] is True, body

    # The Unread view, then Mark all as read.
    go(browser, "/notifications?filter=unread")
    wait_until(browser, lambda br: len(br.find_elements(By.CSS_SELECTOR, ".notice")) == 2, message="two unread")
    button(browser, "Mark all as read").click()
    wait_for_text(browser, "You're all caught up.")
    wait_until(browser, lambda br: bell_count(br) == "", message=lambda: f"bell shows {bell_count(browser)!r}")
    assert not browser.find_elements(By.CSS_SELECTOR, ".notice.is-unread")
    assert mgw.get("/api/notifications", token=user.access_token).json()["unread_count"] == 0
    shot("notifications-all-read")
    browser.use_phone()
    go(browser, "/notifications")
    no_sideways_scroll(browser)
    shot("notifications-phone")


def test_email_preferences_toggle_and_persist(browser, shot, mgw):
    user = known_user("np")
    sign_in(browser, user, "/settings/notifications")
    switch = field_by_label(browser, "Someone comments on my video")
    assert switch.get_attribute("role") == "switch" and switch.is_selected()
    wait_for_text(browser, "Invitations and password-reset emails always go out")
    switch.click()
    wait_for_text(browser, "Saved", ".switch-field")
    prefs = mgw.get("/api/notifications/preferences", token=user.access_token).json()
    assert prefs["new_comment"] is False and prefs["new_reply"] is True, prefs
    shot("preferences-saved")

    browser.refresh()
    wait_app_ready(browser)
    switch = field_by_label(browser, "Someone comments on my video")
    assert not switch.is_selected(), "the change did not persist"
    switch.send_keys(Keys.SPACE)  # the keyboard toggles it too
    wait_until(browser, lambda br: mgw.get("/api/notifications/preferences", token=user.access_token).json()["new_comment"],
               message="new_comment is still off")
    browser.use_phone()
    no_sideways_scroll(browser)
    shot("preferences-phone")


# --- admin ------------------------------------------------------------------------------------------


def test_admin_invites_someone_who_registers_from_the_emailed_link(browser, shot, admin):
    email = f"{unique_name('inv').lower()}@example.com"
    sign_in_via_ui(browser, admin.username, admin.password, path="/login?next=/admin/invitations")
    wait_url(browser, "/admin/invitations")
    wait_app_ready(browser)
    fill(field_by_label(browser, "Email address"), email)
    button(browser, "Send invitation").click()
    wait_for_text(browser, f"Invitation sent to {email}", ".invite-sent")
    shown_link = field_by_label(browser, "Invitation link").get_attribute("value")
    assert re.search(r"/register/[A-Za-z0-9_-]{43}$", shown_link), shown_link
    wait_for_text(browser, email, ".invitations-table")
    shot("admin-invitation-sent")

    message = wait_mail(to=email, kind="invitation")
    link = next(url for url in links(message) if "/register/" in url)
    assert link.rsplit("/", 1)[1] == shown_link.rsplit("/", 1)[1], (link, shown_link)

    # Someone else, in a fresh browser state, opens the emailed link as it is.
    for origin in {browser.base_url, f"{urlsplit(link).scheme}://{urlsplit(link).netloc}"}:
        browser.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    browser.get(link)
    wait_app_ready(browser)
    wait_for_text(browser, f"Invitation for {email}")
    username = unique_name("reg").lower()
    fill(field_by_label(browser, "Username"), username)
    fill(field_by_label(browser, "Password"), "a-good-password-1")
    fill(field_by_label(browser, "Confirm password"), "a-good-password-1")
    shot("register-from-email")
    button(browser, "Create account").click()
    wait_until(browser, lambda br: urlsplit(br.current_url).path == "/" and session_state(br) == "user",
               message=lambda: f"not signed in at home: {browser.current_url} {session_state(browser)}")
    assert browser.execute_script("return window.clipset.session.user.username") == username
    shot("registered-signed-in")

    with Api(browser.base_url) as api:
        invitations = api.get("/api/invitations/", params={"limit": 100}, token=admin_token()).json()
    assert next(i for i in invitations if i["email"] == email)["used"] is True


def test_admin_revokes_an_invitation(browser, shot, admin, mgw):
    email = f"{unique_name('rev').lower()}@example.com"
    sign_in(browser, admin, "/admin/invitations")
    fill(field_by_label(browser, "Email address"), email)
    button(browser, "Send invitation").click()
    wait_for_text(browser, email, ".invitations-table")
    token = field_by_label(browser, "Invitation link").get_attribute("value").rsplit("/", 1)[1]
    click(browser, by_aria_label(browser, f"Copy the invitation link for {email}"))
    click(browser, by_aria_label(browser, f"Revoke the invitation for {email}"))
    wait_for_text(browser, "The link stops working at once", "dialog[open]")
    shot("admin-invitation-revoke-confirm")
    confirm(browser, "Revoke")
    wait_until(browser, lambda br: not br.find_elements(By.CSS_SELECTOR, f"[aria-label=\"Revoke the invitation for {email}\"]"),
               message="the invitation is still listed")
    validation = mgw.get(f"/api/invitations/validate/{token}").json()
    assert validation["valid"] is False and validation["message"] == "Invitation not found", validation
    # The used / pending / expired views.
    browser.find_element(By.XPATH, "//button[@aria-pressed][contains(., 'Used')]").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "tr[data-state='pending'], tr[data-state='expired']")
    shot("admin-invitations-used")


def test_admin_deactivates_and_activates_a_user(browser, shot, admin, mgw):
    target = new_user()
    sign_in(browser, admin, "/admin/users")
    fill(field_by_label(browser, "Find"), target.username)
    wait_until(browser, lambda br: len(br.find_elements(By.CSS_SELECTOR, "tbody tr")) == 1, message="one match")
    click(browser, by_aria_label(browser, f"Deactivate {target.username}"))
    wait_for_text(browser, "signed out everywhere", "dialog[open]")
    confirm(browser, "Deactivate")
    activate = by_aria_label(browser, f"Activate {target.username}")
    assert browser.switch_to.active_element == activate, "focus is not on the new Activate button"
    wait_for_text(browser, "Deactivated", "tbody")
    shot("admin-user-deactivated")
    assert mgw.post("/api/auth/login", json={"username": target.username, "password": target.password}).status_code == 403

    activate.click()
    by_aria_label(browser, f"Deactivate {target.username}")
    wait_for_text(browser, "Active", "tbody")
    assert mgw.post("/api/auth/login", json={"username": target.username, "password": target.password}).status_code == 200

    click(browser, by_aria_label(browser, f"Password-reset link for {target.username}"))
    reset = field_by_label(browser, "Reset link")
    assert "/reset-password?token=" in reset.get_attribute("value")
    wait_for_text(browser, target.email, "dialog[open]")
    shot("admin-user-reset-link")
    button(browser, "Done").click()
    wait_hidden(browser, "dialog[open]")

    browser.use_phone()
    go(browser, "/admin/users")
    no_sideways_scroll(browser)
    shot("admin-users-phone")


def test_admin_creates_edits_and_deletes_a_category_with_an_image(browser, shot, admin, mgw):
    name = f"Birds {secrets.token_hex(3)}"
    sign_in(browser, admin, "/admin/categories")
    button(browser, "New category").click()
    fill(field_by_label(browser, "Name"), name)
    field_by_label(browser, "Description").send_keys("Feathers, mostly.")
    send_file(field_by_label(browser, "Image"), category_png())
    preview = wait_visible(browser, "dialog[open] .image-field__preview img")
    assert preview.get_attribute("src").startswith("blob:")
    shot("admin-category-dialog")
    button(browser, "Create category").click()
    wait_hidden(browser, "dialog[open]")
    card = wait_for_text(browser, name, ".cat-card")
    assert card.find_element(By.CSS_SELECTOR, "img").get_attribute("src")

    categories = mgw.get("/api/categories/", token=admin_token()).json()["categories"]
    category = next(c for c in categories if c["name"] == name)
    assert category["description"] == "Feathers, mostly." and category["image_url"], category
    image = mgw.get(category["image_url"])
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/webp")
    shot("admin-categories")

    # Edit: a new name (its slug follows), the image removed.
    click(browser, by_aria_label(browser, f"Edit {name}"))
    fill(field_by_label(browser, "Name"), name + " and bees")
    button(browser, "Remove image").click()
    button(browser, "Save changes").click()
    wait_hidden(browser, "dialog[open]")
    wait_for_text(browser, name + " and bees", ".cat-card")
    edited = mgw.get(f"/api/categories/{category['id']}", token=admin_token()).json()
    assert edited["name"] == name + " and bees" and edited["image_url"] is None, edited

    click(browser, by_aria_label(browser, f"Delete {name} and bees"))
    confirm(browser, "Delete category")
    wait_until(browser, lambda br: name not in br.find_element(By.CSS_SELECTOR, ".admin-main").text,
               message="the category is still shown")
    assert mgw.get(f"/api/categories/{category['id']}", token=admin_token()).status_code == 404


def test_admin_changes_transcoding_settings(browser, shot, admin, mgw):
    sign_in(browser, admin, "/admin/transcoding")
    try:
        wait_for_text(browser, "H.264 (x264)", ".encoder-list")
        # A preset fills its values in at once.
        browser.find_element(By.XPATH, "//label[contains(., 'Performance')]").click()
        assert field_by_label(browser, "Quality (CRF)").get_attribute("value") == "23"
        wait_for_text(browser, "unsaved change", ".save-bar")
        shot("admin-transcoding-preset")
        click(browser, button(browser, "Save changes"))
        wait_for_text(browser, "All changes saved.", ".save-bar")
        config = mgw.get("/api/config/", token=admin_token()).json()
        assert config["transcode_preset_mode"] == "performance" and config["cpu_crf"] == 23, config

        # A value changed by hand makes it a custom setup.
        crf = field_by_label(browser, "Quality (CRF)")
        fill(crf, "21")
        crf.send_keys(Keys.TAB)
        custom = browser.find_element(By.CSS_SELECTOR, "input[name='transcode_preset_mode'][value='custom']")
        assert custom.is_selected(), "the preset did not switch to Custom"
        click(browser, button(browser, "Save changes"))
        wait_for_text(browser, "All changes saved.", ".save-bar")
        config = mgw.get("/api/config/", token=admin_token()).json()
        assert config["transcode_preset_mode"] == "custom" and config["cpu_crf"] == 21, config

        # An out-of-range value is stopped next to its field.
        fill(crf, "99")
        click(browser, button(browser, "Save changes"))
        assert crf.get_attribute("aria-invalid") == "true"
        assert browser.find_element(By.ID, crf.get_attribute("id") + "-error").text
        shot("admin-transcoding-invalid")
    finally:
        restored = mgw.patch("/api/config/", json={"transcode_preset_mode": "balanced"}, token=admin_token())
        assert restored.status_code == 200, restored.text


def test_admin_resets_every_quota(browser, shot, admin, mgw, curator, clips):
    assert mgw.get("/api/videos/quota/me", token=curator.access_token).json()["used_bytes"] > 0
    sign_in(browser, admin, "/admin/uploads")
    click(browser, button(browser, "Reset all quotas"))
    wait_for_text(browser, "goes back to zero", "dialog[open]")
    shot("admin-quota-confirm")
    confirm(browser, "Reset all quotas")
    wait_for_text(browser, "starts again from zero", ".quota-result")
    assert mgw.get("/api/videos/quota/me", token=curator.access_token).json()["used_bytes"] == 0
    shot("admin-quota-reset")


@pytest.mark.parametrize("section", ["", "users", "invitations", "categories", "transcoding", "uploads", "migration"])
def test_admin_sections_load_at_desktop_and_phone_width(browser, shot, admin, section):
    path = f"/admin/{section}" if section else "/admin"
    sign_in(browser, admin, path)
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading and len(browser.find_elements(By.TAG_NAME, "h1")) == 1
    current = browser.find_element(By.CSS_SELECTOR, ".admin-nav [aria-current='page']")
    assert current.get_attribute("href").endswith(path)
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid='error-state']")
    if section == "migration":
        wait_for_text(browser, re.compile(r"Never run|Running|Finished"), ".migration__state")
    shot(f"admin-{section or 'overview'}-desktop")
    browser.use_phone()
    no_sideways_scroll(browser)
    shot(f"admin-{section or 'overview'}-phone")


def test_admin_pages_are_for_admins_only(browser, shot, curator):
    sign_in(browser, curator, "/admin/users")
    wait_for_text(browser, "Not allowed", "h1")
    assert not browser.find_elements(By.CSS_SELECTOR, ".admin-nav")
    shot("admin-not-allowed")
