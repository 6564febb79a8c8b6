"""Helpers of the browser tests: the headless Chromium (`Browser`), explicit waits, signing in
(through the login form or through the API), generated test clips, `<video>` playback,
HTML5 drag and drop, file inputs and a tiny static web server for pages of a test's own.

Test modules import `By` from here (it stands in for Selenium's when Selenium is missing, so
collection still works and conftest.py can skip with the reason).
Every wait takes `timeout` in seconds (default `TIMEOUT`) and fails with what it saw last.
An element argument may be a WebElement or a CSS selector (looked up when the helper runs).
"""

import atexit
import base64
import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,
                                            TimeoutException, WebDriverException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # conftest.py skips (or fails, on CI) with the reason before anything uses these
    webdriver = None
    WebElement = object

    class By:  # Selenium's locator strategies, so that test modules still import
        ID, NAME, XPATH, TAG_NAME, CSS_SELECTOR = "id", "name", "xpath", "tag name", "css selector"
        CLASS_NAME, LINK_TEXT, PARTIAL_LINK_TEXT = "class name", "link text", "partial link text"

    NoSuchElementException = StaleElementReferenceException = TimeoutException = WebDriverException = Exception

# --- settings ------------------------------------------------------------------------------

CHROMEDRIVER = "/usr/bin/chromedriver"  # Debian's chromium-driver (scripts/lib/packages.sh)
CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 10.0

DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}

WEB_ROOT = Path(__file__).resolve().parents[3] / "web"


def _ui_refresh_key(default: str) -> str:
    """The localStorage key of the refresh token: `const REFRESH_KEY = '...'` in web/app/api.js."""
    try:
        found = re.search(r"const REFRESH_KEY\s*=\s*['\"]([^'\"]+)['\"]", (WEB_ROOT / "app" / "api.js").read_text())
    except OSError:
        found = None
    return found.group(1) if found else default


# The localStorage key under which the UI keeps the refresh token (sign_in_fast() writes it): read
# from web/app/api.js so the two cannot drift; the default is its value when this was written.
# TODO(web UI): drop the fallback once api.js is settled.
REFRESH_TOKEN_STORAGE_KEY = _ui_refresh_key("clipset.refreshToken")
# The login page: the router sends signed-out users here (web/app/api.js).
LOGIN_PATH = "/login"


def browser_missing() -> str:
    """Why the browser tests cannot run here ("" when they can): what is not installed."""
    missing = []
    if webdriver is None:
        missing.append("the PyPI package selenium")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append(f"Debian's chromium-driver ({CHROMEDRIVER})")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Debian's chromium ({CHROMIUM})")
    return ", ".join(missing)


# --- the browser ---------------------------------------------------------------------------


def gateway_url() -> str:
    """The gateway's base URL (CLIPSET_E2E_GATEWAY_URL, set by scripts/test), without a trailing /."""
    from support import process  # Tests/e2e/support.py

    return process("gateway").url


class ConsoleLog:
    """The console of the browser during one test: SEVERE entries fail the test (conftest.py)
    unless a pattern given to allow() (a regex, searched in the message) matches them."""

    def __init__(self):
        self.entries = []
        self.allowed = []

    def allow(self, *patterns: str) -> None:
        """Lets SEVERE entries whose message matches any of `patterns` pass for this test."""
        self.allowed.extend(re.compile(p) for p in patterns)

    def is_allowed(self, entry: dict) -> bool:
        return any(p.search(entry.get("message", "")) for p in self.allowed)

    @property
    def errors(self) -> list:
        """The SEVERE entries that no allow() pattern matches."""
        return [e for e in self.entries if e.get("level") == "SEVERE" and not self.is_allowed(e)]

    @property
    def warnings(self) -> list:
        return [e for e in self.entries if e.get("level") == "WARNING"]

    def messages(self, level: str = None) -> list:
        return [e["message"] for e in self.entries if level is None or e.get("level") == level]


def format_entries(entries: list) -> str:
    return "\n".join(f"  [{e.get('level')}] ({e.get('source', '?')}) {e.get('message', '')}" for e in entries)


_base = webdriver.Chrome if webdriver is not None else object


class Browser(_base):
    """A headless Chromium (a plain Selenium Chrome driver) with a fresh profile, a desktop
    viewport of 1280x900, the console recorded (goog:loggingPrefs browser ALL) and requests
    sent from a client address of its own (X-Forwarded-For, like the e2e API sessions), so
    the gateway's rate limits and auth's login throttle never mix it up with other tests.

    browser.open("/v/abc")   loads a path of the gateway (or a full URL)
    browser.base_url         the gateway's URL
    browser.use_phone()      390x844 touch viewport (device pixel ratio 2); use_desktop() back
    browser.console          this test's ConsoleLog (conftest.py checks it after each test)
    browser.read_console()   moves what Chromium logged since the last call into browser.console
    browser.local_storage()  the page's localStorage as a dict
    """

    def __init__(self):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
                    f"--window-size={DESKTOP['width']},{DESKTOP['height']}", "--no-first-run",
                    "--no-default-browser-check", "--disable-background-networking", "--disable-sync",
                    "--disable-extensions", "--disable-component-update", "--mute-audio", "--lang=en-US"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        os.environ["SE_OFFLINE"] = "true"  # no Selenium Manager: it would try to reach the network
        super().__init__(service=Service(CHROMEDRIVER), options=options)
        self.console = ConsoleLog()
        self.client_ip = None
        self.viewport = None
        self.set_page_load_timeout(30)
        self.execute_cdp_cmd("Network.enable", {})

    # -- lifecycle, per test (conftest.py) --

    def reset(self) -> None:
        """A blank page, no cookies or storage of the gateway's origin, the desktop viewport, a
        new client address and an empty console record: the state a test starts from."""
        for _ in range(3):  # an alert, or a "leave site?" prompt, left open by the previous test
            try:
                self.switch_to.alert.accept()
            except WebDriverException:
                pass
            try:
                self.get("about:blank")
                break
            except WebDriverException:
                continue
        self.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.execute_cdp_cmd("Network.clearBrowserCache", {})
        # The gateway as the tests reach it, and as its links name it (PUBLIC_URL).
        origins = {os.environ.get(name, "").rstrip("/") for name in ("CLIPSET_E2E_GATEWAY_URL", "PUBLIC_URL")}
        for origin in sorted(o for o in origins if o):
            self.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.use_desktop()
        self.set_client_ip()
        self.get_log("browser")  # what the previous test's pages logged after its check
        self.console = ConsoleLog()

    def set_client_ip(self, ip: str = None) -> str:
        """Sends every following request with `X-Forwarded-For: ip` (a fresh 10.a.b.c by default)."""
        from auth_client import random_ip  # Tests/e2e/auth_client.py

        self.client_ip = ip or random_ip()
        self.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"X-Forwarded-For": self.client_ip}})
        return self.client_ip

    def read_console(self) -> list:
        """Moves the entries Chromium logged since the last call into self.console; returns them."""
        entries = self.get_log("browser")
        self.console.entries.extend(entries)
        return entries

    # -- pages --

    @property
    def base_url(self) -> str:
        return gateway_url()

    def url_for(self, path: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", path):
            return path
        return self.base_url + ("" if path.startswith("/") else "/") + path

    def open(self, path: str = "/"):
        """Loads `path` of the gateway (a full URL, data: URL included, as it is); returns self."""
        self.get(self.url_for(path))
        return self

    @property
    def path(self) -> str:
        """The current URL's path, with ?query when there is one."""
        parts = urlsplit(self.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def local_storage(self) -> dict:
        return self.execute_script(
            "const o = {}; for (let i = 0; i < localStorage.length; i++) {"
            " const k = localStorage.key(i); o[k] = localStorage.getItem(k); } return o;")

    # -- viewport --

    def set_viewport(self, metrics: dict) -> None:
        self.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics))
        self.execute_cdp_cmd("Emulation.setTouchEmulationEnabled",
                             {"enabled": bool(metrics.get("mobile")), "maxTouchPoints": 5})
        self.viewport = dict(metrics)

    def use_phone(self) -> None:
        """A phone: 390x844 CSS pixels, device pixel ratio 2, touch, mobile viewport meta honoured.
        Takes effect at once (the page re-lays out; media queries change)."""
        self.set_viewport(PHONE)

    def use_desktop(self) -> None:
        """The default: 1280x900 CSS pixels, device pixel ratio 1, mouse."""
        self.set_viewport(DESKTOP)

    # -- screenshots --

    def save_full_page_png(self, path: Path) -> Path:
        """Writes a PNG of the whole page (beyond the viewport) to `path`, once web fonts are in."""
        try:
            self.set_script_timeout(5)
            self.execute_async_script(
                "const done = arguments[0];"
                "(document.fonts ? document.fonts.ready : Promise.resolve())"
                ".then(() => requestAnimationFrame(() => done()), () => done());")
        except WebDriverException:
            pass  # a page that never settles still gets its screenshot
        metrics = self.execute_cdp_cmd("Page.getLayoutMetrics", {})
        content = metrics.get("cssContentSize") or metrics["contentSize"]
        viewport = metrics.get("cssLayoutViewport") or metrics["layoutViewport"]
        width = max(content["width"], viewport["clientWidth"])
        height = min(max(content["height"], viewport["clientHeight"]), 16000)  # Chromium's texture limit
        shot = self.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        })
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def alive(self) -> bool:
        try:
            self.current_url  # noqa: B018 - a round trip to chromedriver
            return True
        except Exception:  # noqa: BLE001 - any failure means the session is gone
            return False


# --- element lookup and explicit waits -------------------------------------------------------


def element(browser, target, timeout: float = 0) -> WebElement:
    """`target` itself when it is a WebElement, else the first element matching CSS selector
    `target` (waiting up to `timeout` seconds for it to exist)."""
    if isinstance(target, WebElement):
        return target
    if timeout:
        return wait_present(browser, target, timeout)
    return browser.find_element(By.CSS_SELECTOR, target)


def wait_until(browser, predicate, timeout: float = TIMEOUT, message="condition", interval: float = 0.1):
    """Polls `predicate(browser)` until it returns something truthy (returned), ignoring stale and
    missing elements meanwhile; fails with `message` (a string or a function giving one) after
    `timeout` seconds."""
    try:
        return WebDriverWait(browser, timeout, poll_frequency=interval,
                             ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                             ).until(predicate)
    except TimeoutException:
        text = message() if callable(message) else message
        pytest.fail(f"after {timeout:g}s: {text} (at {browser.current_url})", pytrace=False)


def wait_present(browser, css: str, timeout: float = TIMEOUT) -> WebElement:
    """The first element matching `css` once it exists (visible or not)."""
    return wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, css), timeout,
                      f"no element matches {css!r}")


def wait_visible(browser, target, timeout: float = TIMEOUT) -> WebElement:
    """The element (or the first element matching CSS `target`) once it is displayed."""
    def visible(b):
        found = element(b, target)
        return found if found.is_displayed() else None

    return wait_until(browser, visible, timeout, f"{describe(target)} is not visible")


def wait_hidden(browser, target, timeout: float = TIMEOUT) -> None:
    """Until no element matching CSS `target` is displayed (or the element is gone/hidden)."""
    def hidden(b):
        try:
            if isinstance(target, WebElement):
                return not target.is_displayed()
            return not any(e.is_displayed() for e in b.find_elements(By.CSS_SELECTOR, target))
        except StaleElementReferenceException:
            return True

    wait_until(browser, hidden, timeout, f"{describe(target)} is still visible")


def wait_for_text(browser, text, css: str = "body", timeout: float = TIMEOUT) -> WebElement:
    """The first element matching `css` whose visible text contains `text` (a string, or a compiled
    regex searched in it); fails showing the texts it saw."""
    def matches(value: str) -> bool:
        return bool(text.search(value)) if isinstance(text, re.Pattern) else text in value

    def found(b):
        for candidate in b.find_elements(By.CSS_SELECTOR, css):
            if matches(candidate.text):
                return candidate
        return None

    def seen() -> str:
        try:
            texts = [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)][:5]
        except WebDriverException:
            texts = []
        return f"no {css!r} shows {text!r}; saw {[t[:300] for t in texts]}"

    return wait_until(browser, found, timeout, seen)


def wait_url(browser, expected, timeout: float = TIMEOUT) -> str:
    """Until the current URL matches, and returns it. `expected`: a string starting with "/" must
    equal the URL's path (path?query when it contains "?"); another string must equal the whole
    URL; a compiled regex is searched in the whole URL; a function is called with the URL."""
    def ok(url: str) -> bool:
        if callable(expected) and not isinstance(expected, re.Pattern):
            return bool(expected(url))
        if isinstance(expected, re.Pattern):
            return bool(expected.search(url))
        if expected.startswith("/"):
            parts = urlsplit(url)
            return (parts.path + (f"?{parts.query}" if parts.query else "") if "?" in expected
                    else parts.path) == expected
        return url == expected

    return wait_until(browser, lambda b: b.current_url if ok(b.current_url) else None, timeout,
                      lambda: f"URL is {browser.current_url}, expected {getattr(expected, 'pattern', expected)!r}")


def describe(target) -> str:
    if isinstance(target, WebElement):
        try:
            return f"<{target.tag_name}> {target.text[:60]!r}"
        except WebDriverException:
            return "the element"
    return repr(target)


_XPATH_LOWER = "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


def field_by_label(browser, label: str, timeout: float = TIMEOUT) -> WebElement:
    """The form control a `<label>` whose text contains `label` (case-insensitive) labels: the
    element its `for` names, or the control inside it. Prefers a label whose whole text is `label`."""
    needle = label.strip().lower()
    if "'" in needle:
        raise ValueError("label text with a ' is not supported")

    def control(b):
        labels = b.find_elements(By.XPATH, f"//label[contains({_XPATH_LOWER}, '{needle}')]")
        labels.sort(key=lambda e: e.text.strip().lower() != needle)  # exact matches first
        for lab in labels:
            target = lab.get_attribute("for")
            if target:
                found = b.find_elements(By.ID, target)
            else:
                found = lab.find_elements(By.CSS_SELECTOR, "input, select, textarea")
            if found:
                return found[0]
        return None

    def seen() -> str:
        return f"no form control labelled {label!r}; labels: {[e.text for e in browser.find_elements(By.TAG_NAME, 'label')]}"

    return wait_until(browser, control, timeout, seen)


def fill(field: WebElement, value: str) -> WebElement:
    """Clears a text field and types `value` (real key events, so the page's input handlers run)."""
    field.clear()
    field.send_keys(value)
    return field


def button(browser, text: str, timeout: float = TIMEOUT) -> WebElement:
    """The first visible <button> (or input[type=submit|button], or role=button) whose text or
    value contains `text` (case-insensitive), once it is there."""
    needle = text.lower()

    def find(b):
        for candidate in b.find_elements(By.CSS_SELECTOR, "button, input[type=submit], input[type=button], [role=button]"):
            label = (candidate.text or candidate.get_attribute("value") or candidate.get_attribute("aria-label") or "")
            if needle in label.lower() and candidate.is_displayed():
                return candidate
        return None

    return wait_until(browser, find, timeout, f"no visible button {text!r}")


# --- signing in ------------------------------------------------------------------------------


def sign_in_via_ui(browser, username: str, password: str, path: str = LOGIN_PATH,
                   timeout: float = TIMEOUT) -> None:
    """Signs in through the real login form: opens `path` unless a password field is already on
    the page, types into the fields labelled "Username" and "Password", submits the form, and
    waits until the password field is gone (the app moved on). Fails with the page's visible
    text when the form stays (a wrong password, a validation error)."""
    if not browser.find_elements(By.CSS_SELECTOR, "input[type=password]"):
        browser.open(path)
    fill(field_by_label(browser, "username", timeout), username)
    password_field = fill(field_by_label(browser, "password", timeout), password)
    form = password_field.find_elements(By.XPATH, "ancestor::form")
    submit = []
    for css in ("button[type=submit], input[type=submit]", "button:not([type])"):  # a type=button is no submit
        submit = submit or (form[0].find_elements(By.CSS_SELECTOR, css) if form else [])
    if submit:
        submit[0].click()
    else:
        password_field.send_keys(Keys.ENTER)

    def gone(b):
        try:
            return not password_field.is_displayed()
        except StaleElementReferenceException:
            return True

    wait_until(browser, gone, timeout,
               lambda: f"still on the login form; the page says {browser.find_element(By.TAG_NAME, 'body').text[:500]!r}")


def sign_in_fast(browser, user, path: str = "/", wait: bool = True) -> dict:
    """Signs `user` (a Tests/e2e/auth_client.User) in without the form: logs in through the API
    (a new session, so the UI may rotate its refresh token freely), opens the gateway's origin,
    stores the refresh token in localStorage under REFRESH_TOKEN_STORAGE_KEY, loads `path` and
    waits until the app reports a signed-in session (`<html data-session="user">`, when the page
    has that attribute; wait=False: no waiting). Returns the login's tokens (the refresh token is the UI's now: using it
    from the test as well would revoke the sign-in)."""
    from auth_client import Api, login_tokens

    with Api(browser.base_url, browser.client_ip) as api:
        tokens = login_tokens(api, user.username, user.password)
    if urlsplit(browser.current_url).netloc != urlsplit(browser.base_url).netloc:
        browser.open("/")
    # The app on that page must have settled first: while it boots it may clear a copy of the
    # refresh token it does not know, which would take the one written here.
    if session_state(browser) is not None:
        wait_until(browser, lambda b: session_state(b) != "pending", TIMEOUT,
                   "the app's session stays pending before the token is stored")
    browser.execute_script("localStorage.setItem(arguments[0], arguments[1]);",
                           REFRESH_TOKEN_STORAGE_KEY, tokens["refresh_token"])
    browser.open(path)
    if wait and session_state(browser) is not None:
        wait_until(browser, lambda b: session_state(b) != "pending", TIMEOUT,
                   "the app did not finish restoring the session")
        assert session_state(browser) == "user", \
            f"the app did not take the stored refresh token ({REFRESH_TOKEN_STORAGE_KEY!r}): " \
            f"<html data-session={session_state(browser)!r}>"
    return tokens


def wait_app_ready(browser, timeout: float = TIMEOUT, require_session: bool = True) -> None:
    """Until the page has loaded, the app has settled its session (`<html data-session>` is no
    longer "pending", when the page has that attribute: web/app/session.js sets "user" or "guest")
    and no new resource (script, style, image, fetch) has arrived for 300 ms. Call it before a
    screenshot of a freshly loaded page. With require_session=False a session still pending after
    `timeout` is no failure (for tests that must hold while the app is unfinished)."""
    wait_until(browser, lambda b: b.execute_script("return document.readyState") == "complete", timeout,
               "the page did not finish loading")
    if require_session:
        wait_until(browser, lambda b: session_state(b) != "pending", timeout,
                   "the app's session stays pending (<html data-session=pending>)")
    else:
        try:
            WebDriverWait(browser, timeout, 0.1).until(lambda b: session_state(b) != "pending")
        except TimeoutException:
            pass
    last = {"count": -1, "since": time.monotonic()}

    def quiet(b):
        count = b.execute_script("return performance.getEntriesByType('resource').length")
        now = time.monotonic()
        if count != last["count"]:
            last.update(count=count, since=now)
            return False
        return now - last["since"] >= 0.3

    wait_until(browser, quiet, timeout, "the page kept loading resources", interval=0.05)


def session_state(browser) -> str:
    """`<html data-session>`: "pending", then "user" or "guest" (web/app/session.js); None without it."""
    return browser.execute_script("return document.documentElement.dataset.session ?? null")


def sign_out_fast(browser) -> None:
    """Forgets the tokens of the page's origin (localStorage and sessionStorage) and reloads."""
    browser.execute_script("localStorage.clear(); sessionStorage.clear();")
    browser.refresh()


# --- page-side fetch -------------------------------------------------------------------------


def page_fetch(browser, path: str, method: str = "GET", headers: dict = None, body=None,
               timeout: float = TIMEOUT) -> dict:
    """Runs fetch(path) inside the page (its origin, its cookies); returns {"status", "headers",
    "text", "json"} ("json" is None when the body is not JSON)."""
    browser.set_script_timeout(timeout)
    result = browser.execute_async_script("""
        const [path, method, headers, body, done] = arguments;
        fetch(path, {method, headers: headers || {}, body: body === null ? undefined : body})
          .then(async r => done({status: r.status, headers: Object.fromEntries(r.headers), text: await r.text()}))
          .catch(e => done({error: String(e)}));
    """, path, method, headers or {}, None if body is None else (json.dumps(body) if not isinstance(body, str) else body))
    if "error" in result:
        pytest.fail(f"fetch({path!r}) in the page failed: {result['error']}", pytrace=False)
    try:
        result["json"] = json.loads(result["text"])
    except ValueError:
        result["json"] = None
    return result


# --- video -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _clips_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="clipset-browser-clips-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.lru_cache(maxsize=None)
def generated_clip(seconds: float = 3, width: int = 640, height: int = 360) -> Path:
    """A small MP4 (H.264 yuv420p + AAC stereo, faststart) of ffmpeg's test pattern with a 440 Hz
    tone, `seconds` long, in a temporary folder removed at exit. Made once per set of arguments;
    copy it before changing it."""
    path = _clips_dir() / f"testsrc-{seconds:g}s-{width}x{height}.mp4"
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
        "-c:a", "aac", "-ac", "2", "-b:a", "96k", "-shortest", "-movflags", "+faststart", str(path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and path.exists(), f"ffmpeg failed: {done.stderr[-2000:]}"
    return path


def video_state(browser, css: str = "video") -> dict:
    """currentTime, duration, paused, ended, readyState, networkState, error code/message,
    currentSrc and videoWidth/Height of the first `<video>` matching `css` (None when absent)."""
    return browser.execute_script("""
        const v = document.querySelector(arguments[0]);
        if (!v) return null;
        return {currentTime: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended,
                readyState: v.readyState, networkState: v.networkState, muted: v.muted,
                error: v.error ? {code: v.error.code, message: v.error.message} : null,
                currentSrc: v.currentSrc, videoWidth: v.videoWidth, videoHeight: v.videoHeight};
    """, css)


def video_current_time(browser, css: str = "video") -> float:
    """The currentTime (seconds) of the first `<video>` matching `css`."""
    state = video_state(browser, css)
    assert state is not None, f"no <video> matches {css!r}"
    return float(state["currentTime"])


def play_video(browser, css: str = "video") -> str:
    """Calls play() on the video, muted first (as a page may without a user gesture); returns ""
    or the message of play()'s rejection."""
    browser.set_script_timeout(TIMEOUT)
    return browser.execute_async_script("""
        const [css, done] = arguments;
        const v = document.querySelector(css);
        if (!v) { done('no element matches ' + css); return; }
        v.muted = true;
        Promise.resolve(v.play()).then(() => done(''), e => done(String(e)));
    """, css)


def wait_playing(browser, css: str = "video", advance: float = 0.5, timeout: float = 20,
                 start: bool = False) -> float:
    """Asserts that the `<video>` matching `css` plays: its currentTime moves at least `advance`
    seconds forward (and it is not paused) within `timeout` seconds. With start=True it calls
    play_video() first. Returns the currentTime reached; fails with the element's state."""
    wait_present(browser, css, timeout)
    if start:
        problem = play_video(browser, css)
        assert not problem, f"play() of {css!r} was refused: {problem}; state {video_state(browser, css)}"
    first = video_state(browser, css)
    baseline = first["currentTime"] if first else 0.0

    def advanced(b):
        state = video_state(b, css)
        if state and state["error"]:
            pytest.fail(f"the video {css!r} failed: {state}", pytrace=False)
        if state and not state["paused"] and state["currentTime"] >= baseline + advance:
            return state["currentTime"]
        return None

    return wait_until(browser, advanced, timeout,
                      lambda: f"video {css!r} did not advance {advance}s from {baseline}: {video_state(browser, css)}",
                      interval=0.2)


# --- drag and drop, files --------------------------------------------------------------------

_DRAG_AND_DROP_JS = """
const [source, target, fx, fy] = arguments;
const box = target.getBoundingClientRect();
const x = box.left + box.width * fx, y = box.top + box.height * fy;
const src = source.getBoundingClientRect();
const sx = src.left + src.width / 2, sy = src.top + src.height / 2;
const data = new DataTransfer();
const fire = (el, type, cx, cy) => {
  const event = new DragEvent(type, {bubbles: true, cancelable: true, composed: true,
                                     clientX: cx, clientY: cy, dataTransfer: data});
  el.dispatchEvent(event);
  return event;
};
const started = fire(source, 'dragstart', sx, sy);
if (started.defaultPrevented) return {started: false, dropped: false};
fire(source, 'drag', sx, sy);
fire(target, 'dragenter', x, y);
const over = fire(target, 'dragover', x, y);
let dropped = false;
if (over.defaultPrevented) { fire(target, 'drop', x, y); dropped = true; }
else { fire(target, 'dragleave', x, y); }
fire(source, 'dragend', x, y);
return {started: true, dropped};
"""

_DROP_POSITIONS = {"center": (0.5, 0.5), "before": (0.5, 0.2), "after": (0.5, 0.8),
                   "left": (0.2, 0.5), "right": (0.8, 0.5)}


def drag_and_drop(browser, source, target, at="center") -> dict:
    """HTML5 drag and drop of `source` onto `target` (elements or CSS selectors), which Selenium's
    ActionChains cannot do in Chromium: dispatches dragstart/drag on the source, then
    dragenter/dragover and, if the page accepted it (preventDefault on dragover), drop on the
    target, then dragend, sharing one DataTransfer. `at` is where over the target the pointer is:
    "center", "before" (upper part), "after" (lower part), "left", "right", or (fx, fy) fractions
    of its box. Returns {"started", "dropped"}; asserts the drop happened. For pointer-based
    sorting (pointerdown/move/up) use ActionChains instead."""
    fx, fy = _DROP_POSITIONS[at] if isinstance(at, str) else at
    src, dst = element(browser, source, TIMEOUT), element(browser, target, TIMEOUT)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", dst)
    result = browser.execute_script(_DRAG_AND_DROP_JS, src, dst, fx, fy)
    assert result["started"], f"the page cancelled dragstart on {describe(source)}"
    assert result["dropped"], f"{describe(target)} did not accept the drop (no preventDefault on dragover)"
    return result


def send_file(input_element, *paths) -> WebElement:
    """Chooses files in an `<input type=file>` (a WebElement; it may be hidden, as styled file
    pickers are): the page gets its change event as if the user had picked them. Several paths
    need the input's `multiple`."""
    resolved = [str(Path(p).resolve()) for p in paths]
    for p in resolved:
        assert Path(p).is_file(), f"no file {p}"
    input_element.send_keys("\n".join(resolved))
    return input_element


# --- a tiny web server for pages of the tests' own -------------------------------------------


class StaticSite:
    """Serves a folder over HTTP on 127.0.0.1 (an ephemeral port) in a thread: for pages that
    test the harness itself, or stand-ins. site.url("page.html"); site.write("a.html", text);
    site.close()."""

    def __init__(self, folder: Path = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="clipset-browser-site-"))
        self._own = folder is None
        folder_str = str(self.folder)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=folder_str, **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                # Chromium asks for /favicon.ico and logs a 404 as a console error.
                if self.path == "/favicon.ico" and not (Path(folder_str) / "favicon.ico").exists():
                    self.send_response(204)
                    self.end_headers()
                    return
                super().do_GET()

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def write(self, name: str, content) -> str:
        """Writes a file (text or bytes) into the folder; returns its URL."""
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return self.url(name)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._own:
            shutil.rmtree(self.folder, ignore_errors=True)


def settle(seconds: float = 0.2) -> None:
    """A short pause for animations; prefer a wait_* helper whenever there is something to wait for."""
    time.sleep(seconds)
