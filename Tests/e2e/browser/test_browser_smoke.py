"""The web UI loads in a real Chromium through the gateway: / at desktop and phone width (with
screenshots), the single-page app's own routes load the same app, and the page can reach the
API. Asserts only what stays true while the UI is being built: the title says Clipset, the
page renders something, and the console stays free of errors (checked after every test by
conftest.py)."""

import re

import pytest

from browser_support import (LOGIN_PATH, REFRESH_TOKEN_STORAGE_KEY, By, page_fetch, session_state, sign_in_fast,
                             sign_in_via_ui, wait_app_ready, wait_until)

HTTP_STATUS_IN_TITLE = re.compile(r"\b[1-5]\d\d\b|not found|error", re.IGNORECASE)
# A deep link to an unknown video may make the app ask the API and get a 404, which Chromium
# logs as a failed request; only that is tolerated there.
API_404 = r"/api/\S* - Failed to load resource: the server responded with a status of 404"


def assert_app_loaded(browser, error_free_title: bool = True) -> None:
    """The page finished loading, is Clipset's HTML, has "Clipset" in its title (without an HTTP
    status or an error in it, unless error_free_title is False) and shows text."""
    wait_until(browser, lambda b: b.execute_script("return document.readyState") == "complete",
               message="the page did not finish loading")
    assert browser.execute_script("return document.contentType") == "text/html"
    title = browser.title
    assert "Clipset" in title, f"title {title!r}"
    if error_free_title:
        assert not HTTP_STATUS_IN_TITLE.search(title), f"the title looks like an error page: {title!r}"
    wait_until(browser, lambda b: b.find_element(By.TAG_NAME, "body").text.strip(),
               message=lambda: f"the page shows no text: {browser.page_source[:500]!r}")
    wait_app_ready(browser, timeout=3, require_session=False)  # the app's session handling may not exist yet


def test_home_page_loads_at_desktop_and_phone_width(browser, shot):
    browser.open("/")
    assert_app_loaded(browser)
    assert browser.execute_script("return innerWidth") == 1280
    shot("home-desktop")

    browser.use_phone()
    browser.refresh()
    assert_app_loaded(browser)
    assert browser.execute_script("return innerWidth") == 390
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, \
        "the page is wider than a 390 px phone screen"
    shot("home-phone")


@pytest.mark.console_allow(API_404)
@pytest.mark.parametrize("path", ["/v/abc123", "/register/not-a-real-token"])
def test_app_routes_load_the_app(browser, shot, path):
    browser.open(path)
    assert_app_loaded(browser, error_free_title=False)  # "Video not found · Clipset" is right here
    index = page_fetch(browser, "/")
    here = page_fetch(browser, path)
    assert here["status"] == 200 and here["text"] == index["text"], "the deep link is not index.html"
    shot("route-" + path.strip("/").split("/")[0])


def test_the_page_reaches_the_api(browser):
    browser.open("/")
    assert_app_loaded(browser)
    health = page_fetch(browser, "/api/health")
    assert health["status"] == 200, health
    assert "json" in health["headers"].get("content-type", ""), health["headers"]
    assert health["json"] and health["json"].get("status") == "ok", health["text"][:500]


def test_sign_in_fast_hands_the_app_a_sign_in(browser, owner, shot):
    sign_in_fast(browser, owner, wait=False)
    assert_app_loaded(browser)
    # The app may have rotated the token already; one it refused would be gone.
    assert browser.local_storage().get(REFRESH_TOKEN_STORAGE_KEY), \
        f"no refresh token under {REFRESH_TOKEN_STORAGE_KEY!r}: {browser.local_storage()}"
    # An app that reports its session (<html data-session>) must report this user signed in.
    state = session_state(browser)
    assert state in (None, "pending", "user"), f"<html data-session={state!r}> after sign_in_fast"
    shot("home-signed-in")


def test_sign_in_via_ui_uses_the_login_form(browser, owner, shot):
    browser.open(LOGIN_PATH)
    assert_app_loaded(browser)
    shot("login")
    sign_in_via_ui(browser, owner.username, owner.password)
    wait_until(browser, lambda b: b.local_storage().get(REFRESH_TOKEN_STORAGE_KEY),
               message=lambda: f"no refresh token stored after signing in: {browser.local_storage()}")
    assert browser.path != LOGIN_PATH
