"""The browser harness itself, on pages of its own (data: URLs and a temp folder served on
127.0.0.1), so these hold whatever the web UI looks like: waits, labelled fields and the login
helper, HTML5 drag and drop, file inputs, the generated clip and <video> playback, the phone
viewport and screenshots, and the console check that fails a test on a browser error."""

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from browser_support import (PHONE, By, drag_and_drop, field_by_label, generated_clip, send_file, sign_in_via_ui,
                             video_current_time, video_state, wait_app_ready, wait_for_text, wait_hidden,
                             wait_playing, wait_url, wait_visible)

HERE = Path(__file__).resolve().parent


def data_url(html: str) -> str:
    return "data:text/html;charset=utf-8," + quote(html)


def png_size(path: Path) -> tuple:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


# --- waits -------------------------------------------------------------------------------------

LATE_PAGE = """<!doctype html><title>late</title>
<p id=status>loading</p><div id=panel hidden>Panel</div><div id=spinner>spinning</div>
<script>
setTimeout(() => { document.getElementById('status').textContent = 'Ready: 3 clips';
                   document.getElementById('panel').hidden = false; }, 300);
setTimeout(() => { document.getElementById('spinner').remove();
                   history.pushState({}, '', '/done?tab=2'); }, 600);
</script>"""


def test_waits_see_late_text_elements_and_urls(browser, local_site):
    browser.get(local_site.write("late.html", LATE_PAGE))
    assert wait_for_text(browser, "Ready", "#status").text == "Ready: 3 clips"
    assert wait_for_text(browser, re.compile(r"\d+ clips")).tag_name == "body"
    assert wait_visible(browser, "#panel").text == "Panel"
    wait_hidden(browser, "#spinner")
    assert wait_url(browser, "/done").endswith("/done?tab=2")
    wait_url(browser, "/done?tab=2")
    wait_url(browser, re.compile(r"tab=\d$"))
    wait_url(browser, lambda url: url.startswith(local_site.base_url))


def test_waits_fail_saying_what_they_saw(browser, local_site):
    browser.get(local_site.write("late.html", LATE_PAGE))
    wait_for_text(browser, "Ready", "#status")
    with pytest.raises(pytest.fail.Exception, match=r"no '#status' shows 'Gone'; saw \['Ready: 3 clips'\]"):
        wait_for_text(browser, "Gone", "#status", timeout=0.5)
    with pytest.raises(pytest.fail.Exception, match=r"'#missing' is not visible"):
        wait_visible(browser, "#missing", timeout=0.3)
    with pytest.raises(pytest.fail.Exception, match=r"expected '/elsewhere'"):
        wait_url(browser, "/elsewhere", timeout=0.3)


SETTLING_APP = """<!doctype html><html data-session=pending><title>app</title><body>
<script>
setTimeout(() => fetch('late.txt').then(r => r.text()).then(t => {
  document.body.append(t); document.documentElement.dataset.session = 'guest'; }), 300);
</script>"""


def test_wait_app_ready_waits_for_the_session_and_the_last_request(browser, local_site):
    local_site.write("late.txt", "late text")
    browser.get(local_site.write("app.html", SETTLING_APP))
    wait_app_ready(browser)
    assert browser.execute_script("return document.documentElement.dataset.session") == "guest"
    assert "late text" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(local_site.write("stuck.html", "<html data-session=pending><title>stuck</title>"))
    with pytest.raises(pytest.fail.Exception, match="session stays pending"):
        wait_app_ready(browser, timeout=0.5)
    wait_app_ready(browser, timeout=0.5, require_session=False)


# --- labelled fields and the login form --------------------------------------------------------

LOGIN_PAGE = """<!doctype html><title>Sign in</title>
<form id=login>
  <label for=u>Username or email</label><input id=u name=username autocomplete=username>
  <label>Password <input type=password name=password></label>
  <p id=error role=alert></p>
  <button type=submit>Sign in</button>
</form>
<script>
document.getElementById('login').addEventListener('submit', e => {
  e.preventDefault();
  const f = e.target;
  if (f.password.value !== 'right-password') {
    document.getElementById('error').textContent = 'Wrong username or password';
    return;
  }
  localStorage.setItem('who', f.username.value);
  document.body.innerHTML = '<h1>Welcome ' + f.username.value + '</h1>';
});
</script>"""


def test_field_by_label_finds_controls_by_for_and_by_nesting(browser):
    browser.get(data_url(LOGIN_PAGE))
    assert field_by_label(browser, "Username").get_attribute("id") == "u"
    assert field_by_label(browser, "password").get_attribute("type") == "password"
    with pytest.raises(pytest.fail.Exception, match=r"no form control labelled 'Email address'"):
        field_by_label(browser, "Email address", timeout=0.3)


def test_sign_in_via_ui_submits_the_form_and_waits_for_the_app(browser, local_site):
    url = local_site.write("login.html", LOGIN_PAGE)
    sign_in_via_ui(browser, "alice", "right-password", path=url)
    assert wait_for_text(browser, "Welcome alice", "h1")
    assert browser.local_storage() == {"who": "alice"}


def test_sign_in_via_ui_reports_a_refused_login(browser, local_site):
    url = local_site.write("login.html", LOGIN_PAGE)
    with pytest.raises(pytest.fail.Exception, match="Wrong username or password"):
        sign_in_via_ui(browser, "alice", "wrong", path=url, timeout=1)


# --- drag and drop -----------------------------------------------------------------------------

SORTABLE = """<!doctype html><title>sortable</title>
<style>li { padding: 12px; margin: 4px; border: 1px solid #888; list-style: none; }</style>
<ul id=list>
  <li draggable=true data-id=a>Alpha</li><li draggable=true data-id=b>Bravo</li>
  <li draggable=true data-id=c>Charlie</li><li draggable=true data-id=d>Delta</li>
</ul>
<div id=bin>not a drop target</div>
<script>
const list = document.getElementById('list');
window.events = [];
list.addEventListener('dragstart', e => {
  e.dataTransfer.setData('text/plain', e.target.dataset.id);
  e.dataTransfer.effectAllowed = 'move';
  window.events.push('dragstart');
});
list.addEventListener('dragover', e => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; });
list.addEventListener('drop', e => {
  e.preventDefault();
  const moved = list.querySelector(`[data-id="${e.dataTransfer.getData('text/plain')}"]`);
  const target = e.target.closest('li');
  const box = target.getBoundingClientRect();
  list.insertBefore(moved, e.clientY < box.top + box.height / 2 ? target : target.nextSibling);
  window.events.push('drop');
});
list.addEventListener('dragend', () => window.events.push('dragend'));
</script>"""


def order(browser) -> str:
    return "".join(li.get_attribute("data-id") for li in browser.find_elements(By.CSS_SELECTOR, "#list li"))


def test_drag_and_drop_reorders_an_html5_sortable_list(browser):
    browser.get(data_url(SORTABLE))
    assert order(browser) == "abcd"
    drag_and_drop(browser, "[data-id=a]", "[data-id=c]", at="after")
    assert order(browser) == "bcad"
    drag_and_drop(browser, "[data-id=d]", "[data-id=b]", at="before")
    assert order(browser) == "dbca"
    items = browser.find_elements(By.CSS_SELECTOR, "#list li")
    drag_and_drop(browser, items[3], items[0], at=(0.5, 0.1))  # elements work as well as selectors
    assert order(browser) == "adbc"
    assert browser.execute_script("return window.events") == ["dragstart", "drop", "dragend"] * 3


def test_drag_and_drop_fails_when_the_target_refuses_the_drop(browser):
    browser.get(data_url(SORTABLE))
    with pytest.raises(AssertionError, match="did not accept the drop"):
        drag_and_drop(browser, "[data-id=a]", "#bin")
    assert order(browser) == "abcd"


# --- files, clips and video --------------------------------------------------------------------


def test_generated_clip_is_a_small_h264_aac_mp4():
    clip = generated_clip(seconds=2, width=320, height=180)
    assert clip.suffix == ".mp4" and 0 < clip.stat().st_size < 1_000_000
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(clip)],
                           capture_output=True, text=True, check=True)
    info = json.loads(probe.stdout)
    streams = {s["codec_type"]: s for s in info["streams"]}
    assert streams["video"]["codec_name"] == "h264" and streams["video"]["pix_fmt"] == "yuv420p"
    assert (streams["video"]["width"], streams["video"]["height"]) == (320, 180)
    assert streams["audio"]["codec_name"] == "aac"
    assert abs(float(info["format"]["duration"]) - 2) < 0.2, info["format"]
    assert generated_clip(seconds=2, width=320, height=180) == clip  # made once


UPLOAD_PAGE = """<!doctype html><title>upload</title>
<label class=picker>Choose videos<input id=file type=file accept="video/*" multiple style="display:none"></label>
<ul id=chosen></ul>
<script>
document.getElementById('file').addEventListener('change', e => {
  document.getElementById('chosen').innerHTML =
    [...e.target.files].map(f => `<li>${f.name} ${f.size} ${f.type}</li>`).join('');
});
</script>"""


def test_send_file_fills_a_hidden_file_input(browser):
    clip = generated_clip()
    browser.get(data_url(UPLOAD_PAGE))
    file_input = browser.find_element(By.ID, "file")
    assert not file_input.is_displayed()
    send_file(file_input, clip)
    assert wait_for_text(browser, clip.name, "#chosen").text == f"{clip.name} {clip.stat().st_size} video/mp4"


def test_wait_playing_sees_a_generated_clip_play(browser, local_site):
    clip = generated_clip(seconds=3)
    local_site.write("clip.mp4", clip.read_bytes())
    browser.get(local_site.write("player.html", "<!doctype html><title>player</title>"
                                                "<video id=player src=clip.mp4 controls preload=auto></video>"))
    reached = wait_playing(browser, "#player", advance=0.5, start=True)
    assert reached >= 0.5
    assert video_current_time(browser, "#player") >= reached
    state = video_state(browser, "#player")
    assert (state["videoWidth"], state["videoHeight"]) == (640, 360), state
    assert state["error"] is None and abs(state["duration"] - 3) < 0.2, state


def test_wait_playing_fails_on_a_video_that_does_not_play(browser, local_site):
    browser.get(local_site.write("paused.html", "<!doctype html><title>paused</title><video id=v></video>"))
    with pytest.raises(pytest.fail.Exception, match="did not advance"):
        wait_playing(browser, "#v", timeout=0.5)


# --- viewports and screenshots ----------------------------------------------------------------

RESPONSIVE = """<!doctype html><meta name=viewport content="width=device-width, initial-scale=1">
<title>responsive</title><style>
body { margin: 0; font-family: sans-serif; } header { height: 100vh; background: #246; color: white; }
#mode::after { content: 'desktop'; } @media (max-width: 600px) { #mode::after { content: 'phone'; } }
</style><header><h1 id=mode>Mode: </h1></header>""" + "".join(f"<p>Row {i}</p>" for i in range(60))


def test_phone_and_desktop_viewports_and_full_page_screenshots(browser, local_site, shot):
    browser.get(local_site.write("responsive.html", RESPONSIVE))
    size = "return [innerWidth, innerHeight, devicePixelRatio, matchMedia('(pointer: coarse)').matches]"
    assert browser.execute_script(size) == [1280, 900, 1, False]
    desktop = shot("responsive-desktop")
    width, height = png_size(desktop)
    assert width == 1280 and height > 900 * 2, "a full-page screenshot is taller than the viewport"

    browser.use_phone()
    assert browser.execute_script(size) == [PHONE["width"], PHONE["height"], PHONE["deviceScaleFactor"], True]
    phone = shot("responsive-phone")
    width, height = png_size(phone)
    assert width == PHONE["width"] * PHONE["deviceScaleFactor"] and height > PHONE["height"] * 2
    assert phone.parent.name == "test_browser_harness" and phone.parent.parent.name == "screenshots"

    browser.use_desktop()
    assert browser.execute_script(size)[:2] == [1280, 900]


def test_viewport_fixture_sets_each_size(browser, viewport, local_site):
    browser.get(local_site.write("responsive.html", RESPONSIVE))
    expected = 390 if viewport == "phone" else 1280
    assert browser.execute_script("return innerWidth") == expected


def test_each_test_starts_from_a_clean_browser(browser, local_site):
    """The previous tests left pages, storage and the phone viewport behind; none of it shows."""
    assert browser.current_url == "about:blank"
    assert browser.execute_script("return innerWidth") == 1280
    assert browser.console.entries == [] and browser.client_ip.startswith("10.")


# --- the console check, in a pytest run of its own --------------------------------------------

INNER_CONFTEST = """
import sys
from importlib.machinery import SourceFileLoader
sys.path[:0] = [{browser!r}, {e2e!r}]
_harness = SourceFileLoader("clipset_browser_conftest", {conftest!r}).load_module()
globals().update({{k: v for k, v in vars(_harness).items() if not k.startswith("__")}})
"""

INNER_TESTS = '''
import pytest

def page(script):
    return "data:text/html,<title>t</title><script>" + script + "</script>"

def test_console_error(browser):
    browser.get(page("console.error('deliberate failure')"))

def test_uncaught_exception(browser):
    browser.get(page("throw new Error('uncaught boom')"))

def test_allowed_by_call(browser):
    browser.console.allow("tolerated")
    browser.get(page("console.error('tolerated here')"))

@pytest.mark.console_allow("marked ok")
def test_allowed_by_marker(browser):
    browser.get(page("console.error('marked ok')"))

def test_warning_only(browser):
    browser.get(page("console.warn('just a warning')"))

def test_assertion_fails(browser):
    browser.get(page("document.title = 'broken page'"))
    assert False, "the test's own failure"
'''


def test_console_errors_fail_tests_and_failures_leave_artifacts(requires_browser, tmp_path):
    """Runs a small suite through this folder's conftest.py: console errors and uncaught
    exceptions fail, allowed ones and warnings pass (warnings reported), failures leave a
    screenshot, the HTML and the console beside the module's screenshots."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(INNER_CONFTEST.format(
        browser=str(HERE), e2e=str(HERE.parent), conftest=str(HERE / "conftest.py")))
    (suite / "test_inner.py").write_text(INNER_TESTS)
    state = tmp_path / "state"
    env = {**os.environ, "CLIPSET_E2E_STATE_DIR": str(state)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", str(suite)],
                         cwd=suite, env=env, capture_output=True, text=True, timeout=180)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "3 failed, 3 passed" in out, out
    failed = set(re.findall(r"^FAILED test_inner.py::(\w+)", out, re.M))
    assert failed == {"test_console_error", "test_uncaught_exception", "test_assertion_fails"}, out
    assert out.count("the browser console has 1 error(s) (SEVERE)") >= 2, out
    assert "deliberate failure" in out and "uncaught boom" in out, out
    assert "tolerated here" not in out and "marked ok" not in out, out
    assert "browser console warnings" in out and "just a warning" in out, out
    folder = state / "artifacts" / "screenshots" / "test_inner"
    assert f"browser screenshots: {state / 'artifacts' / 'screenshots'}" in out, out
    for name in ("test_console_error", "test_uncaught_exception", "test_assertion_fails"):
        png_size(folder / f"FAILED-{name}.png")
        assert (folder / f"FAILED-{name}.html").read_text().startswith("<!-- data:text/html")
        assert (folder / f"FAILED-{name}.console.txt").exists()
    assert "broken page" in (folder / "FAILED-test_assertion_fails.html").read_text()
    assert "deliberate failure" in (folder / "FAILED-test_console_error.console.txt").read_text()
