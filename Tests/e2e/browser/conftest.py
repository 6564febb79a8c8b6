"""Fixtures of the browser tests: the web UI in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium; scripts/test installs all three), against the gateway the
other end-to-end tests use (CLIPSET_E2E_GATEWAY_URL). The fixtures of Tests/e2e/conftest.py
(gw, api, admin, owner, ...) are available here too.

  browser        a Browser (browser_support.py), one Chromium per test module, reset before each
                 test: about:blank, no cookies or storage of the gateway's origin, the desktop
                 viewport (1280x900; browser.use_phone() for 390x844), a client address of its own
  shot           shot("name") writes a full-page PNG to
                 $CLIPSET_E2E_STATE_DIR/artifacts/screenshots/<test module>/name.png
  viewport       parametrises a test over "desktop" and "phone", the browser already set to it
  local_site     a StaticSite (browser_support.py): a temp folder served on 127.0.0.1, per module
  requires_browser  for a test that starts Chromium itself: skips/fails as `browser` would

Every test that uses `browser` fails when the browser console logged a SEVERE entry (a console
error, an uncaught exception or rejection, a failed request) during it, unless the entry matches
a pattern given to `browser.console.allow(regex, ...)` or `@pytest.mark.console_allow(regex, ...)`;
warnings are reported in the session summary. A failing test leaves FAILED-<test>.png, .html and
.console.txt in its module's screenshots folder. The folder is printed at the end of the session.

The tests skip, saying what is missing, only when Chromium, chromium-driver or Selenium is not
installed and the run is not on CI (CI set): on CI, and through scripts/test, they must run.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from browser_support import Browser, StaticSite, browser_missing, format_entries

ARTIFACTS = pytest.StashKey[dict]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "console_allow(*patterns): SEVERE browser console entries matching one of these "
                   "regexes do not fail the test")
    config.stash[ARTIFACTS] = {"files": [], "warnings": [], "root": None}


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_browser() -> None:
    missing = browser_missing()
    if not missing:
        return
    message = (f"browser tests need {missing}; scripts/test installs them "
               "(apt-get install chromium chromium-driver, pip install selenium)")
    if on_ci():
        pytest.fail(message + " - and on CI they must run", pytrace=False)
    pytest.skip(message)


def screenshots_root(config) -> Path:
    """$CLIPSET_E2E_STATE_DIR/artifacts/screenshots (a temp folder outside scripts/test)."""
    state = config.stash[ARTIFACTS]
    if state["root"] is None:
        base = os.environ.get("CLIPSET_E2E_STATE_DIR")
        root = Path(base) / "artifacts" if base else Path(tempfile.gettempdir()) / "clipset-browser-artifacts"
        state["root"] = root / "screenshots"
    return state["root"]


def module_folder(item) -> Path:
    return screenshots_root(item.config) / Path(str(item.path)).stem


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "page"


class _Chromium:
    """The module's Chromium, relaunched if it died."""

    def __init__(self):
        self.browser = None

    def get(self) -> Browser:
        if self.browser is not None and not self.browser.alive():
            try:
                self.browser.quit()
            except Exception:  # noqa: BLE001 - it is gone already
                pass
            self.browser = None
        if self.browser is None:
            self.browser = Browser()
        return self.browser

    def quit(self) -> None:
        if self.browser is not None:
            self.browser.quit()
            self.browser = None


@pytest.fixture(scope="module")
def _chromium():
    require_browser()
    chromium = _Chromium()
    yield chromium
    chromium.quit()


@pytest.fixture
def requires_browser(_chromium) -> None:
    """Skips (fails, on CI) like `browser` when Chromium is missing, without starting it."""


@pytest.fixture
def browser(_chromium, request) -> Browser:
    """The module's Chromium, reset for this test (see the module docstring)."""
    b = _chromium.get()
    b.reset()
    for mark in request.node.iter_markers("console_allow"):
        b.console.allow(*mark.args)
    return b


@pytest.fixture(params=["desktop", "phone"])
def viewport(request, browser) -> str:
    """"desktop" then "phone": the browser is set to that viewport before the test runs."""
    if request.param == "phone":
        browser.use_phone()
    else:
        browser.use_desktop()
    return request.param


@pytest.fixture
def shot(browser, request):
    """shot(name) saves a full-page PNG of the current page as
    <screenshots>/<test module>/<name>.png and returns its path."""
    folder = module_folder(request.node)
    files = request.config.stash[ARTIFACTS]["files"]

    def take(name: str) -> Path:
        path = browser.save_full_page_png(folder / f"{safe_name(name)}.png")
        files.append(path)
        return path

    return take


@pytest.fixture(scope="module")
def local_site():
    """A StaticSite: site.write("page.html", html) returns its http://127.0.0.1:<port>/ URL."""
    site = StaticSite()
    yield site
    site.close()


# --- the console check and the failure artifacts -------------------------------------------------


def _browser_of(item):
    funcargs = getattr(item, "funcargs", None) or {}
    return funcargs.get("browser")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After each test with a browser: read the console; fail on a SEVERE entry not allowed."""
    b = _browser_of(item)
    try:
        result = yield
    except BaseException:
        if b is not None:
            try:
                b.read_console()
            except Exception:  # noqa: BLE001 - the test's own failure is what matters
                pass
        raise
    if b is None:
        return result
    b.read_console()
    warnings = b.console.warnings
    if warnings:
        item.config.stash[ARTIFACTS]["warnings"].append((item.nodeid, warnings))
        print(f"browser console warnings:\n{format_entries(warnings)}")
    errors = b.console.errors
    if errors:
        pytest.fail(f"the browser console has {len(errors)} error(s) (SEVERE):\n{format_entries(errors)}\n"
                    "(an expected one: browser.console.allow(regex) or @pytest.mark.console_allow(regex))",
                    pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's screenshot, HTML and console next to its module's screenshots."""
    report = yield
    b = _browser_of(item)
    if report.when in ("setup", "call") and report.failed and b is not None:
        folder = module_folder(item)
        stem = "FAILED-" + safe_name(item.name)
        saved = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved.append(b.save_full_page_png(folder / f"{stem}.png"))
            html = folder / f"{stem}.html"
            html.write_text(f"<!-- {b.current_url} -->\n{b.page_source}")
            saved.append(html)
            console = folder / f"{stem}.console.txt"
            console.write_text(format_entries(b.console.entries) + "\n")
            saved.append(console)
        except Exception as error:  # noqa: BLE001 - a dead browser must not hide the failure
            report.sections.append(("browser artifacts", f"could not save them: {error!r}"))
        if saved:
            item.config.stash[ARTIFACTS]["files"].extend(saved)
            report.sections.append(("browser artifacts", f"at {b.current_url}:\n" +
                                    "\n".join(str(p) for p in saved)))
    return report


def pytest_terminal_summary(terminalreporter, config):
    state = config.stash.get(ARTIFACTS, None)
    if not state:
        return
    if state["warnings"]:
        terminalreporter.section("browser console warnings")
        for nodeid, entries in state["warnings"]:
            terminalreporter.write_line(f"{nodeid}:")
            terminalreporter.write_line(format_entries(entries))
    if state["files"]:
        terminalreporter.write_line(
            f"browser screenshots: {screenshots_root(config)} ({len(state['files'])} files)")
