"""The account pages of the web UI in a real Chromium, against the test platform: signing in
(a wrong password, ?next=, the redirect of signed-out visitors), signing out from the account
menu, registering from the invitation email the SMTP receiver got, the pages of unusable
invitations, the forgotten-password email and its reset page, and a session that outlives a
reload through the refresh token without any access token in the page's storage.

Every page checked here has exactly one <h1>, a label for every form control, and no sideways
scrolling on a 390 px phone. Screenshots: .local/test/artifacts/screenshots/test_browser_accounts/.
"""

import base64
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from auth_client import Api, login, unique_name
from browser_support import (LOGIN_PATH, REFRESH_TOKEN_STORAGE_KEY, By, Keys, button, field_by_label, fill,
                             session_state, sign_in_via_ui, wait_for_text, wait_until, wait_url, wait_visible)
from page_checks import assert_no_sideways_scroll, audit_page, h1_text, settled, sign_in, wait_h1
from media_client import psql
from notify_support import known_user, text_links, wait_mail
from social_support import new_user

# Chromium logs an API answer that is an error by design as "<url> - Failed to load resource: ...".
LOGIN_401 = r"/api/auth/login - Failed to load resource: the server responded with a status of 401"
REGISTER_400 = r"/api/auth/register - Failed to load resource: the server responded with a status of 400"
RESET_TOKEN_400 = r"/api/auth/verify-reset-token\S* - Failed to load resource: the server responded with a status of 400"

WRONG_PASSWORD = "Incorrect username or password."
JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def toast_says(browser, text: str) -> None:
    wait_for_text(browser, text, "[data-testid=toasts]")


def query_of(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query).items()}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def form_alert(browser):
    """The form-level error of the page's form, once shown."""
    return wait_visible(browser, "form .form-alert")


def field_error(browser, control) -> str:
    """The error text tied to a control (its `<id>-error` element)."""
    return browser.find_element(By.ID, f"{control.get_attribute('id')}-error").text


def submit(browser, label: str) -> None:
    button(browser, label).click()


def refresh_token_copy(browser):
    return browser.local_storage().get(REFRESH_TOKEN_STORAGE_KEY)


READ_IDB_JS = """
const done = arguments[arguments.length - 1];
(async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes('clipset')) return {};
  return await new Promise((resolve) => {
    const request = indexedDB.open('clipset');
    request.onerror = () => resolve({ error: String(request.error) });
    request.onsuccess = () => {
      const db = request.result;
      const out = {};
      if (!db.objectStoreNames.contains('auth')) { db.close(); resolve(out); return; }
      const cursor = db.transaction('auth', 'readonly').objectStore('auth').openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (c) { out[String(c.key)] = c.value; c.continue(); } else { db.close(); resolve(out); }
      };
      cursor.onerror = () => { db.close(); resolve({ error: String(cursor.error) }); };
    };
  });
})().then(done, (e) => done({ error: String(e) }));
"""


def indexeddb_auth(browser) -> dict:
    """The key/value pairs of the app's IndexedDB store clipset/auth ({} when there is none)."""
    browser.set_script_timeout(10)
    found = browser.execute_async_script(READ_IDB_JS)
    assert "error" not in found, f"reading IndexedDB failed: {found}"
    return found


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def refresh_status(browser, refresh_token: str) -> int:
    """POST /api/auth/refresh with `refresh_token` from the test (not the page)."""
    with Api(browser.base_url) as api:
        return api.post("/api/auth/refresh", json={"refresh_token": refresh_token}).status_code


def invite(gw, admin, email: str) -> dict:
    response = gw.post("/api/invitations/", json={"email": email}, token=admin.access_token)
    assert response.status_code == 201, f"invitation: {response.status_code} {response.text[:300]}"
    return response.json()


def email_link(msg, pattern: str) -> str:
    found = [url for url in text_links(msg) if re.search(pattern, url)]
    assert found, f"no link matching {pattern!r} in the email {msg['Subject']!r}: {text_links(msg)}"
    return found[0]


# --- signing in ----------------------------------------------------------------------------------


@pytest.mark.console_allow(LOGIN_401)
def test_sign_in_form_shows_a_wrong_password_next_to_the_form_then_signs_in(browser, shot, viewport):
    user = new_user(unique_name("si"))
    browser.open(LOGIN_PATH)
    settled(browser)
    assert h1_text(browser) == "Sign in to Clipset"
    assert browser.title == "Sign in · Clipset"
    assert session_state(browser) == "guest"
    audit_page(browser)
    assert_no_sideways_scroll(browser)
    # Guests see no navigation, search or account menu; the "Forgot password?" link is there.
    assert not browser.find_element(By.CSS_SELECTOR, ".site-search").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".user-menu").is_displayed()
    assert browser.find_element(By.LINK_TEXT, "Forgot password?").get_attribute("href").endswith("/forgot-password")
    shot(f"login-{viewport}")

    # An empty form is checked in the page: no request, an error under each field.
    submit(browser, "Sign in")
    username = field_by_label(browser, "Username")
    wait_until(browser, lambda b: field_error(b, username) == "This field is required.",
               message=lambda: f"no error under the empty username: {field_error(browser, username)!r}")
    assert username.get_attribute("aria-invalid") == "true"
    assert browser.switch_to.active_element == username, "the first problem does not get the focus"

    fill(username, user.username)
    fill(field_by_label(browser, "Password"), user.password + "-wrong")
    submit(browser, "Sign in")
    alert = form_alert(browser)
    assert alert.text == WRONG_PASSWORD
    assert alert.get_attribute("role") == "alert"
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Sign in']")
    assert form.find_elements(By.CSS_SELECTOR, ".form-alert") == [alert], "the error is not inside the sign-in form"
    # It sits right above the fields, inside the form's panel, and has the focus (screen readers read it).
    assert alert.location["y"] < field_by_label(browser, "Username").location["y"]
    assert browser.switch_to.active_element == alert
    assert browser.path == LOGIN_PATH and session_state(browser) == "guest"
    assert field_by_label(browser, "Username").get_attribute("value") == user.username, "the username was lost"
    shot(f"login-wrong-password-{viewport}")

    fill(field_by_label(browser, "Password"), user.password)
    submit(browser, "Sign in")
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {user.username}")
    toast_says(browser, f"Welcome back, {user.username}!")
    assert session_state(browser) == "user"
    assert browser.execute_script("return window.clipset.session.user.username") == user.username
    settled(browser)
    audit_page(browser)
    assert_no_sideways_scroll(browser)
    shot(f"home-after-sign-in-{viewport}")


@pytest.mark.parametrize("target, heading", [("/users?sort=alphabetical", "People"), ("/categories", "Categories"),
                                             ("/u/{me}?tab=playlists", "{me}")],
                         ids=["people", "categories", "own-playlists"])
def test_signed_out_visitor_of_a_protected_page_signs_in_and_comes_back(browser, shot, target, heading):
    user = new_user(unique_name("nx"))
    target, heading = target.format(me=user.username), heading.format(me=user.username)
    browser.open(target)
    wait_url(browser, LOGIN_PATH)
    assert query_of(browser) == {"next": target}, f"{browser.current_url} does not carry ?next={target}"
    assert f"next={quote(target, safe='')}" in browser.current_url, browser.current_url
    settled(browser)
    assert h1_text(browser) == "Sign in to Clipset"
    assert wait_for_text(browser, "Sign in to continue where you left off.", "#main .auth__lead")
    shot("login-with-next-" + target.strip("/").split("?")[0].split("/")[0])

    sign_in_via_ui(browser, user.username, user.password)
    wait_url(browser, target)
    assert wait_h1(browser, heading)
    settled(browser)
    audit_page(browser)
    assert session_state(browser) == "user"


def test_home_sends_a_signed_out_visitor_to_plain_login(browser):
    browser.open("/")
    wait_url(browser, LOGIN_PATH)
    assert urlsplit(browser.current_url).query == "", f"no ?next= for the home page: {browser.current_url}"
    settled(browser)
    assert wait_for_text(browser, "Good to see you again.", "#main .auth__lead")


@pytest.mark.parametrize("next_value", ["//evil.example/steal", "https://evil.example/", "/login?next=/users",
                                        "javascript:alert(1)"])
def test_next_never_leads_off_the_site(browser, next_value):
    user = new_user(unique_name("nv"))
    browser.open(f"{LOGIN_PATH}?next={quote(next_value, safe='')}")
    settled(browser)
    sign_in_via_ui(browser, user.username, user.password)
    wait_url(browser, "/")
    assert origin_of(browser.current_url) == browser.base_url, browser.current_url
    assert wait_h1(browser, f"Welcome, {user.username}")


def test_signed_in_user_opening_login_goes_to_next(browser):
    user = new_user(unique_name("gn"))
    sign_in(browser, user, "/")
    browser.open(f"{LOGIN_PATH}?next=%2Fcategories")
    wait_url(browser, "/categories")
    assert wait_h1(browser, "Categories")
    browser.open(LOGIN_PATH)
    wait_url(browser, "/")


# --- signing out ---------------------------------------------------------------------------------


def test_sign_out_from_the_account_menu_ends_the_session_for_good(browser, shot):
    user = new_user(unique_name("so"))
    sign_in(browser, user, "/")
    assert wait_h1(browser, f"Welcome, {user.username}")
    settled(browser)

    menu_button = browser.find_element(By.CSS_SELECTOR, ".user-menu__button")
    assert menu_button.get_attribute("aria-expanded") == "false"
    menu_button.click()
    panel = wait_visible(browser, "#user-menu-panel")
    assert menu_button.get_attribute("aria-expanded") == "true"
    assert panel.find_element(By.CSS_SELECTOR, ".user-menu__name").text == user.username
    assert panel.find_element(By.CSS_SELECTOR, ".user-menu__role").text == "Member"
    assert panel.find_element(By.LINK_TEXT, "Your profile").get_attribute("href").endswith(f"/u/{user.username}")
    audit_page(browser)
    shot("account-menu-open")
    # Escape closes the disclosure and gives the focus back to its button.
    panel.find_element(By.LINK_TEXT, "Your profile").send_keys(Keys.ESCAPE)
    wait_until(browser, lambda b: not b.find_element(By.ID, "user-menu-panel").is_displayed(),
               message="Escape did not close the account menu")
    assert browser.switch_to.active_element == menu_button

    token = refresh_token_copy(browser)
    assert token, "no refresh token copy in localStorage while signed in"
    menu_button.click()
    button(browser, "Sign out").click()
    wait_url(browser, LOGIN_PATH)
    toast_says(browser, "You are signed out.")
    wait_until(browser, lambda b: session_state(b) == "guest", message="the app still reports a signed-in session")
    assert refresh_token_copy(browser) is None, browser.local_storage()
    assert "refreshToken" not in indexeddb_auth(browser), "IndexedDB still holds a refresh token"
    assert refresh_status(browser, token) == 401, "the API still takes the signed-out refresh token"
    settled(browser)
    assert not browser.find_element(By.CSS_SELECTOR, ".user-menu").is_displayed()
    shot("signed-out")

    browser.refresh()
    settled(browser)
    assert browser.path == LOGIN_PATH and session_state(browser) == "guest"
    browser.open("/users")
    wait_url(browser, "/login?next=%2Fusers")
    settled(browser)
    assert session_state(browser) == "guest"


# --- the session across reloads -------------------------------------------------------------------


def test_a_reload_refreshes_the_session_and_no_access_token_is_stored(browser, shot):
    user = new_user(unique_name("rl"))
    sign_in_via_ui(browser, user.username, user.password)
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {user.username}")
    settled(browser)
    first = refresh_token_copy(browser)
    assert first and not JWT.fullmatch(first), f"the stored refresh token looks wrong: {first!r}"
    assert indexeddb_auth(browser).get("refreshToken") == first, "IndexedDB and the localStorage copy differ"

    # The auth worker keeps the last access token in memory; stopped, it has to use the refresh token.
    browser.execute_cdp_cmd("ServiceWorker.enable", {})
    browser.execute_cdp_cmd("ServiceWorker.stopAllWorkers", {})
    browser.execute_cdp_cmd("ServiceWorker.disable", {})
    browser.refresh()
    settled(browser)
    assert session_state(browser) == "user", "a reload lost the sign-in"
    assert wait_h1(browser, f"Welcome, {user.username}")
    second = wait_until(browser, lambda b: (lambda t: t if t and t != first else None)(refresh_token_copy(b)),
                        message="the refresh token was not rotated: the reload did not refresh the session")
    assert indexeddb_auth(browser).get("refreshToken") == second

    # The page keeps working with the new access token: People, then a profile.
    browser.find_element(By.CSS_SELECTOR, ".primary-nav a[data-nav=users]").click()
    wait_url(browser, "/users")
    settled(browser)
    search = field_by_label(browser, "Find people")
    fill(search, user.username)
    tile = wait_visible(browser, f"#main a.tile__link[href='/u/{user.username}']")
    tile.click()
    wait_url(browser, f"/u/{user.username}")
    assert wait_h1(browser, user.username)
    settled(browser)
    shot("after-reload-and-refresh")

    # Nothing an attacker's script could lift lasts: no access token in any storage, no cookies.
    stored = {
        "localStorage": browser.local_storage(),
        "sessionStorage": browser.execute_script(
            "return Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))"),
        "indexedDB": indexeddb_auth(browser),
        "cookie": browser.execute_script("return document.cookie"),
    }
    blob = json.dumps(stored)
    tokens = JWT.findall(blob)
    assert not tokens, f"JWTs in the page's storage ({[jwt_claims(t) for t in tokens]}): {stored}"
    assert stored["cookie"] == "" and stored["sessionStorage"] == {}, stored
    assert set(stored["indexedDB"]) <= {"refreshToken", "seen"}, stored["indexedDB"]
    caches = browser.execute_async_script("const done = arguments[0]; caches.keys().then(done, () => done([]));")
    assert caches == [], f"Cache Storage is used: {caches}"


# --- registration from an invitation --------------------------------------------------------------


def test_registration_from_the_invitation_email(browser, shot, gw, admin):
    email = f"{unique_name('inv')}@example.com"
    invitation = invite(gw, admin, email)
    msg = wait_mail(to=email, kind="invitation")
    link = email_link(msg, r"/register/")
    assert link == invitation["invitation_link"], f"the email links {link}, the API said {invitation['invitation_link']}"

    browser.open(link)
    settled(browser)
    assert wait_h1(browser, "Create your account")
    assert browser.title == "Create your account · Clipset"
    assert wait_for_text(browser, f"Invitation for {email}", "#main .auth__invite-for")
    email_field = field_by_label(browser, "Email")
    assert email_field.get_attribute("value") == email
    assert email_field.get_property("readOnly") is True, "the invited email can be changed"
    email_field.send_keys("typed")
    assert email_field.get_attribute("value") == email, "typing changed the locked email"
    audit_page(browser)
    assert_no_sideways_scroll(browser)
    shot("register-form")

    # The page checks the form before asking the API: all three problems, the first one focused.
    password, confirm = field_by_label(browser, "Password"), field_by_label(browser, "Confirm password")
    fill(password, "short")
    fill(confirm, "different")
    submit(browser, "Create account")
    username = field_by_label(browser, "Username")
    wait_until(browser, lambda b: field_error(b, username) == "This field is required.",
               message=lambda: f"no error under the empty username: {field_error(browser, username)!r}")
    assert field_error(browser, password) == "Must be at least 8 characters."
    assert field_error(browser, confirm) == "The passwords do not match."
    for control in (username, password, confirm):
        assert control.get_attribute("aria-invalid") == "true"
        assert f"{control.get_attribute('id')}-error" in control.get_attribute("aria-describedby")
    assert browser.switch_to.active_element == username
    fill(username, "no spaces")
    submit(browser, "Create account")
    wait_until(browser, lambda b: field_error(b, username) == "Use only letters, digits and underscores.",
               message=lambda: f"no pattern error: {field_error(browser, username)!r}")
    shot("register-errors")

    name = unique_name("reg")
    fill(username, name)
    fill(password, "a-good-password-1")
    fill(confirm, "a-good-password-1")
    submit(browser, "Create account")
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {name}")
    toast_says(browser, f"Welcome to Clipset, {name}!")
    assert session_state(browser) == "user"
    me = browser.execute_script("return window.clipset.session.user")
    assert (me["username"], me["email"], me["role"]) == (name, email, "user"), me
    settled(browser)
    shot("register-done")

    with Api(browser.base_url) as api:
        assert login(api, name, "a-good-password-1").status_code == 200
        check = api.get(f"/api/invitations/validate/{invitation['token']}").json()
    assert check["message"] == "Invitation has already been used", check
    wait_mail(to=email, kind="welcome")


@pytest.mark.console_allow(REGISTER_400)
def test_registration_with_a_taken_username_says_so_under_the_field(browser, shot, gw, admin):
    taken = new_user(unique_name("tk"))
    email = f"{unique_name('inv')}@example.com"
    invitation = invite(gw, admin, email)
    browser.open(urlsplit(invitation["invitation_link"]).path)
    settled(browser)
    username = field_by_label(browser, "Username")
    fill(username, taken.username)
    fill(field_by_label(browser, "Password"), "a-good-password-1")
    fill(field_by_label(browser, "Confirm password"), "a-good-password-1")
    submit(browser, "Create account")
    wait_until(browser, lambda b: field_error(b, username) == "This username is taken. Try another one.",
               message=lambda: f"no 'taken' error under the username: {field_error(browser, username)!r}")
    assert username.get_attribute("aria-invalid") == "true"
    assert browser.switch_to.active_element == username
    assert session_state(browser) == "guest"
    shot("register-username-taken")
    # The invitation is still good: another name works.
    name = unique_name("re")
    fill(username, name)
    submit(browser, "Create account")
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {name}")


INVALID_INVITATIONS = {
    "unknown": ("This invitation link doesn't work", ["Sign in"]),
    "revoked": ("This invitation link doesn't work", ["Sign in"]),
    "used": ("This invitation was already used", ["Sign in", "Reset password"]),
    "expired": ("This invitation has expired", ["Sign in"]),
}


@pytest.mark.parametrize("kind", sorted(INVALID_INVITATIONS))
def test_unusable_invitation_links_get_a_page_of_their_own(browser, shot, gw, admin, kind):
    email = f"{unique_name('bad')}@example.com"
    if kind == "unknown":
        token = "x" * 43
    else:
        invitation = invite(gw, admin, email)
        token = invitation["token"]
        if kind == "revoked":
            response = gw.delete(f"/api/invitations/{invitation['id']}", token=admin.access_token)
            assert response.status_code == 200, response.text
        elif kind == "used":
            response = gw.post("/api/auth/register", json={
                "email": email, "username": unique_name("us"), "password": "password-123", "invitation_token": token})
            assert response.status_code == 201, response.text
        else:
            psql(f"UPDATE auth.invitations SET expires_at = now() - interval '1 day' WHERE id = '{invitation['id']}'")
            check = gw.get(f"/api/invitations/validate/{token}").json()
            assert check["message"] == "Invitation has expired", check

    browser.open(f"/register/{token}")
    settled(browser)
    title, actions = INVALID_INVITATIONS[kind]
    state = wait_visible(browser, "[data-testid=invitation-invalid]")
    assert h1_text(browser) == title
    assert browser.title == "Invitation not valid · Clipset"
    assert not browser.find_elements(By.CSS_SELECTOR, "#main form"), "an unusable invitation still shows the form"
    links = [a.text for a in state.find_elements(By.CSS_SELECTOR, ".state__actions a")]
    assert links == actions, links
    if kind in ("used", "expired"):
        assert f"Invitation for {email}" in state.text, state.text
    audit_page(browser)
    shot(f"invitation-{kind}")
    state.find_element(By.LINK_TEXT, "Sign in").click()
    wait_url(browser, LOGIN_PATH)


# --- forgotten password ---------------------------------------------------------------------------


@pytest.mark.console_allow(LOGIN_401, RESET_TOKEN_400)
def test_forgot_password_email_link_sets_a_new_password(browser, shot):
    user = known_user("fp")
    browser.open(LOGIN_PATH)
    settled(browser)
    browser.find_element(By.LINK_TEXT, "Forgot password?").click()
    wait_url(browser, "/forgot-password")
    assert wait_h1(browser, "Forgot your password?")
    audit_page(browser)
    shot("forgot-password")
    fill(field_by_label(browser, "Email"), user.email)
    submit(browser, "Send reset link")
    sent = wait_visible(browser, "[data-testid=reset-sent]")
    assert "Check your email" in sent.text and user.email in sent.text, sent.text
    assert browser.switch_to.active_element == sent
    shot("forgot-password-sent")

    msg = wait_mail(to=user.email, kind="password_reset")
    link = email_link(msg, r"/reset-password\?token=")
    browser.open(link)
    settled(browser)
    assert wait_h1(browser, "Choose a new password")
    account = field_by_label(browser, "Account")
    assert account.get_attribute("value") == user.username and account.get_property("readOnly") is True
    audit_page(browser)
    assert_no_sideways_scroll(browser)
    shot("reset-password")

    new_password = "brand-new-password-7"
    fill(field_by_label(browser, "New password"), new_password)
    fill(field_by_label(browser, "Confirm new password"), new_password + "x")
    submit(browser, "Change password")
    confirm = field_by_label(browser, "Confirm new password")
    wait_until(browser, lambda b: field_error(b, confirm) == "The passwords do not match.",
               message="no mismatch error under the confirmation")
    fill(confirm, new_password)
    submit(browser, "Change password")
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {user.username}")
    toast_says(browser, "Your password was changed. You are signed in.")
    shot("reset-password-done")

    # The link works once.
    browser.open(link)
    settled(browser)
    assert wait_visible(browser, "[data-testid=reset-invalid]")
    assert h1_text(browser) == "This reset link has expired or was already used"
    shot("reset-password-used-link")

    # On a fresh sign-in page (the gateway's own origin): the old password is refused, the new one works.
    browser.open(browser.base_url + LOGIN_PATH)
    settled(browser)
    fill(field_by_label(browser, "Username"), user.username)
    fill(field_by_label(browser, "Password"), user.password)
    submit(browser, "Sign in")
    assert form_alert(browser).text == WRONG_PASSWORD
    sign_in_via_ui(browser, user.username, new_password)
    wait_url(browser, "/")
    assert wait_h1(browser, f"Welcome, {user.username}")


@pytest.mark.console_allow(RESET_TOKEN_400)
@pytest.mark.parametrize("query", ["", "?token=", "?token=not-a-real-token"])
def test_reset_password_page_with_a_bad_link(browser, shot, query):
    browser.open(f"/reset-password{query}")
    settled(browser)
    state = wait_visible(browser, "[data-testid=reset-invalid]")
    assert h1_text(browser) == "This reset link has expired or was already used"
    assert browser.title == "Reset link not valid · Clipset"
    assert [a.text for a in state.find_elements(By.CSS_SELECTOR, "a")] == ["Request a new link", "Sign in"]
    audit_page(browser)
    if query.endswith("not-a-real-token"):
        shot("reset-password-bad-token")


# --- every account page on a phone ------------------------------------------------------------------


@pytest.mark.console_allow(RESET_TOKEN_400)
def test_account_pages_fit_a_phone_and_are_well_formed(browser, shot, gw, admin):
    user = new_user(unique_name("ph"))
    invitation = invite(gw, admin, f"{unique_name('ph')}@example.com")
    reset = gw.post(f"/api/users/{user.id}/generate-reset-link", token=admin.access_token)
    assert reset.status_code == 200, reset.text
    pages = {
        "login": (LOGIN_PATH, "Sign in to Clipset"),
        "login-next": (f"{LOGIN_PATH}?next=%2Fusers", "Sign in to Clipset"),
        "forgot-password": ("/forgot-password", "Forgot your password?"),
        "register": (urlsplit(invitation["invitation_link"]).path, "Create your account"),
        "register-unknown": ("/register/nope", "This invitation link doesn't work"),
        "reset-password": (urlsplit(reset.json()["reset_link"]).path + "?" + urlsplit(reset.json()["reset_link"]).query,
                           "Choose a new password"),
        "reset-password-bad": ("/reset-password?token=nope", "This reset link has expired or was already used"),
        "not-found": ("/no/such/page", "Page not found"),
    }
    for size in ("desktop", "phone"):
        if size == "phone":
            browser.use_phone()
        else:
            browser.use_desktop()
        for name, (path, heading) in pages.items():
            browser.open(path)
            settled(browser)
            assert h1_text(browser) == heading, f"{path}: <h1> {h1_text(browser)!r}"
            audit_page(browser)
            assert_no_sideways_scroll(browser)
            if size == "phone":
                shot(f"phone-{name}")
