"""The media pages of the web UI in a real Chromium, against the test platform: uploading over
tus (progress bar to 100 %, speed and time left, quota before and after), the video becoming
ready through the live status stream (GET /api/events), My videos following processing live
and deleting with a confirmation, the watch page playing the HLS ladder (currentTime advances),
counting one view, storyboard previews on the timeline, a comment at the current time whose
timestamp seeks the video, replies, saving to a new playlist, keyboard use of the player, an
upload resumed after a reload from the offset the server kept, a refused file and a failed video
showing their errors next to their cause, and the pages on a 390 px phone.

Each test signs its module's uploader in through sign_in_fast. Uploads are slowed with
Chromium's network emulation (Network.emulateNetworkConditions) so their progress can be
watched, and the throttle is lifted in a finally. Screenshots:
.local/test/artifacts/screenshots/test_browser_media/.
"""

import json
import secrets
import subprocess
import time

import pytest

from auth_client import login_tokens, unique_name
from browser_support import (By, Keys, field_by_label, fill, generated_clip, send_file, sign_in_fast, video_state,
                             wait_app_ready, wait_for_text, wait_playing, wait_until, wait_visible)
from media_client import upload_multipart, wait_ready
from social_support import cached_admin, create_category, gateway_session, new_user, read_video
from support import wait_for

try:
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException, WebDriverException
    from selenium.webdriver.common.action_chains import ActionChains
except ImportError:  # conftest.py skips (or fails, on CI) before these are needed
    ActionChains = None
    NoAlertPresentException = UnexpectedAlertPresentException = WebDriverException = Exception

READY_TIMEOUT = 150
CHUNK = 5 * 1024 * 1024  # web/app/ui/tus-upload.js CHUNK_SIZE
# A refused upload (the server's 400 on the PATCH that completes it) is logged by Chromium.
REFUSED_PATCH = r"/api/uploads/\S+ - Failed to load resource: the server responded with a status of 400"

OVERFLOW_JS = """
const width = window.innerWidth;
const wide = [...document.querySelectorAll('body *')].filter((el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== 'fixed'
    && !el.closest('.visually-hidden, .dropzone__input');
}).slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).join('.'));
return {scrollWidth: document.documentElement.scrollWidth, wide};
"""

LABELS_JS = """
const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
const controls = [...document.querySelectorAll('input, select, textarea')].filter((c) => c.type !== 'hidden');
const named = (el) => text(el) || (el.getAttribute('aria-label') || '').trim();
return {
  h1: document.querySelectorAll('h1').length,
  unlabelled: controls.filter((c) => ![...(c.labels || [])].some((l) => text(l))).map((c) => c.outerHTML.slice(0, 120)),
  nameless: [...document.querySelectorAll('button, [role=slider], [role=menuitemradio]')].filter((b) => !named(b)).map((b) => b.outerHTML.slice(0, 120)),
};
"""


# --- module world ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uploader():
    user = new_user(unique_name("media"))
    user.logged_in_at = time.monotonic()
    return user


def token(user) -> str:
    """The user's access token, renewed after 10 minutes (they last 15)."""
    if time.monotonic() - getattr(user, "logged_in_at", 0) > 600:
        with gateway_session() as gw:
            user.access_token = login_tokens(gw, user.username, user.password)["access_token"]
        user.logged_in_at = time.monotonic()
    return user.access_token


def refreshed(user):
    token(user)
    return user


@pytest.fixture(scope="module")
def category():
    with gateway_session() as gw:
        return create_category(gw, cached_admin(), name=f"Clips {secrets.token_hex(3)}")


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict:
    """A 6 s clip, a damaged copy of it (probes, does not decode) and a noisy 11 MB clip that
    takes three 5 MiB chunks."""
    folder = tmp_path_factory.mktemp("media-clips")
    six = generated_clip(6, 640, 360)
    data = six.read_bytes()
    damaged = folder / "damaged-clip.mp4"
    damaged.write_bytes(data[:int(len(data) * 0.35)])
    big = folder / "big-noisy-clip.mp4"
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=8",
        "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=8",
        "-vf", "noise=alls=40:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "10M", "-maxrate", "10M",
        "-bufsize", "20M", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-ac", "2", "-shortest",
        "-movflags", "+faststart", str(big),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert big.stat().st_size > 2 * CHUNK, big.stat().st_size
    junk = folder / "not-a-video.mp4"
    junk.write_bytes(secrets.token_bytes(4000))
    text = folder / "notes.txt"
    text.write_text("not a video")
    return {"six": six, "damaged": damaged, "big": big, "junk": junk, "text": text}


@pytest.fixture(scope="module")
def watch_video(uploader, clips, category):
    """A ready 6 s video of the uploader (HLS, storyboard), in the module's category."""
    with gateway_session() as gw:
        response = upload_multipart(gw, token(uploader), clips["six"], title=f"Sunrise {secrets.token_hex(2)}",
                                    description="Watch the bars at 0:02 and the tone.\nSecond line.",
                                    category_id=category["id"])
        assert response.status_code == 201, response.text
        video = response.json()
        wait_ready(video, timeout=READY_TIMEOUT)
        return read_video(gw, refreshed(uploader), video)


# --- helpers -----------------------------------------------------------------------------------


def sign_in(browser, user, path: str) -> None:
    """sign_in_fast, once more if the app did not take the handed-in token the first time (seen
    once, on the first page load of a fresh browser; web/app/api.js's start-up reconciliation)."""
    try:
        sign_in_fast(browser, user, path)
    except AssertionError as first:
        if "did not take the stored refresh token" not in str(first):
            raise
        print(f"sign_in_fast needed a second try: {first}")
        sign_in_fast(browser, user, path)


def throttle(browser, upload_bytes_per_second: int = -1) -> None:
    """Chromium's network emulation: uploads at most this fast (-1: no limit)."""
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": upload_bytes_per_second,
    })


def file_input(browser):
    return field_by_label(browser, "video file")


def progress_value(browser) -> float:
    return browser.execute_script("const p = document.querySelector('[data-testid=upload-progress] progress');"
                                  "return p ? p.value : null;")


def upload_panel(browser):
    return browser.find_element(By.CSS_SELECTOR, "[data-testid=upload-progress]")


def tus_store(browser) -> dict:
    return json.loads(browser.local_storage().get("clipset.tusUploads") or "{}")


def assert_no_overflow(browser) -> None:
    found = browser.execute_script(OVERFLOW_JS)
    assert found["scrollWidth"] <= browser.execute_script("return innerWidth"), f"{browser.path} scrolls sideways: {found}"


def assert_labelled(browser) -> None:
    found = browser.execute_script(LABELS_JS)
    assert found["h1"] == 1, f"{browser.path}: {found['h1']} <h1>"
    assert not found["unlabelled"], f"{browser.path}: controls without a <label>: {found['unlabelled']}"
    assert not found["nameless"], f"{browser.path}: controls without a name: {found['nameless']}"


def accept_leave_prompt(browser) -> None:
    """A "leave site?" prompt (the page protects a running upload): leave."""
    try:
        browser.switch_to.alert.accept()
    except (NoAlertPresentException, WebDriverException):
        pass


def my_videos_api(uploader) -> list:
    with gateway_session() as gw:
        response = gw.get("/api/videos/", params={"uploaded_by": uploader.id, "limit": 100}, token=token(uploader))
        assert response.status_code == 200, response.text
        return response.json()["videos"]


# --- upload → live status → ready ------------------------------------------------------------------


def test_upload_shows_progress_and_quota_and_the_video_becomes_ready_live(browser, shot, uploader, clips, category):
    sign_in(browser, uploader, "/upload")
    wait_app_ready(browser)
    assert_labelled(browser)
    quota = wait_visible(browser, "[data-testid=quota]")
    wait_until(browser, lambda b: "used" in quota.text, message=lambda: f"no quota shown: {quota.text!r}")
    used_before = quota.find_element(By.CSS_SELECTOR, ".quota__used").text
    shot("upload-empty")

    send_file(file_input(browser), clips["six"])
    title = field_by_label(browser, "title")
    assert title.get_attribute("value") == "testsrc-6s-640x360", "the title is not taken from the file name"
    fill(title, "Morning bars")
    fill(field_by_label(browser, "description"), "Six seconds of colour bars.")
    from selenium.webdriver.support.ui import Select
    Select(field_by_label(browser, "category")).select_by_visible_text(category["name"])
    shot("upload-file-chosen")

    size = clips["six"].stat().st_size
    throttle(browser, max(20_000, size // 5))  # about five seconds
    try:
        browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
        seen = []

        def midway(b):
            value = progress_value(b)
            if value is not None:
                seen.append(value)
            return value is not None and 0 < value < 100 and "/s" in upload_panel(b).text

        wait_until(browser, midway, 20, lambda: f"no progress with a speed; values {seen[-5:]}")
        panel_text = upload_panel(browser).text
        assert "left" in panel_text, f"no time left shown: {panel_text!r}"
        shot("upload-progress")
    finally:
        throttle(browser)

    wait_until(browser, lambda b: progress_value(b) == 100 or b.find_elements(By.CSS_SELECTOR, ".upload-done:not([hidden])"),
               30, "the upload did not reach 100 %")
    wait_for_text(browser, "Upload complete", "[data-testid=upload-progress]", timeout=30)
    assert max(seen) <= 100 and min(seen) < 100, seen
    assert seen == sorted(seen), f"the progress went backwards: {seen}"

    # The status moves on through /api/events: queued/processing, then ready.
    wait_until(browser, lambda b: upload_panel(b).get_attribute("data-video-status") == "completed", READY_TIMEOUT,
               lambda: f"the video did not become ready on the page: {upload_panel(browser).text!r}")
    wait_for_text(browser, "Watch now", "[data-testid=upload-progress]")
    wait_for_text(browser, "This upload used", "[data-testid=quota]", timeout=15)
    assert quota.find_element(By.CSS_SELECTOR, ".quota__used").text != used_before or used_before == "0 B"
    shot("upload-ready")

    video = next(v for v in my_videos_api(uploader) if v["title"] == "Morning bars")
    assert video["processing_status"] == "completed"
    assert video["description"] == "Six seconds of colour bars."
    assert video["category_id"] == category["id"]
    assert video["file_size_bytes"] > 0

    # The live stream really is up (My videos says so), and the new video is there, ready.
    browser.find_element(By.LINK_TEXT, "My videos").click()
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".live-indicator[data-state=open]"), 15,
               lambda: f"the live stream is not open: {browser.find_element(By.CSS_SELECTOR, '.live-indicator').get_attribute('outerHTML')}")
    row = wait_visible(browser, f"li.my-video[data-short-id='{video['short_id']}']")
    assert row.get_attribute("data-status") == "completed", row.text
    assert "Ready" in row.text


# --- My videos: live processing, failure, delete --------------------------------------------------


def test_my_videos_follow_a_new_upload_live_and_delete_it(browser, shot, uploader, clips):
    sign_in(browser, uploader, "/my/videos")
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".live-indicator[data-state=open]"), 15,
               "the live stream did not open")
    # Record every status each row shows (the page changes them in place).
    browser.execute_script("""
        window.__statuses = {};
        const note = (li) => { const id = li.dataset.shortId; const s = li.dataset.status;
          const list = (window.__statuses[id] ||= []); if (list[list.length - 1] !== s) list.push(s); };
        document.querySelectorAll('li.my-video').forEach(note);
        new MutationObserver((records) => records.forEach((r) => {
          const li = r.target.closest ? r.target.closest('li.my-video') : null; if (li) note(li);
          r.addedNodes.forEach((n) => { if (!n.querySelectorAll) return;
            if (n.matches('li.my-video')) note(n); n.querySelectorAll('li.my-video').forEach(note); });
        })).observe(document.querySelector('.my-videos__body'), {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});
    """)
    with gateway_session() as gw:  # uploaded elsewhere (another tab, the API): the page learns it live
        response = upload_multipart(gw, token(uploader), clips["six"], title="Live one")
        assert response.status_code == 201, response.text
        video = response.json()
    row_css = f"li.my-video[data-short-id='{video['short_id']}']"
    row = wait_visible(browser, row_css, timeout=20)
    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, row_css).get_attribute("data-status") == "completed",
               READY_TIMEOUT, lambda: f"the row did not become ready: {browser.find_element(By.CSS_SELECTOR, row_css).text!r}")
    statuses = browser.execute_script("return window.__statuses[arguments[0]]", video["short_id"])
    assert statuses[0] in ("pending", "processing") and statuses[-1] == "completed", statuses
    row = browser.find_element(By.CSS_SELECTOR, row_css)
    assert "Ready" in row.text and "0:06" in row.text, row.text
    shot("my-videos-live")

    # Delete, with a confirmation; Cancel first keeps it.
    row.find_element(By.CSS_SELECTOR, ".my-video__delete").click()
    dialog = wait_visible(browser, "dialog[open]")
    assert "Live one" in dialog.text and "cannot be undone" in dialog.text
    shot("my-videos-delete-confirm")
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Cancel']").click()
    wait_until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "dialog[open]"), 5, "the dialog stayed open")
    assert browser.find_elements(By.CSS_SELECTOR, row_css)
    browser.find_element(By.CSS_SELECTOR, f"{row_css} .my-video__delete").click()
    wait_visible(browser, "dialog[open]").find_element(By.XPATH, ".//button[normalize-space()='Delete video']").click()
    wait_until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, row_css), 10, "the row stayed after deleting")
    wait_for_text(browser, "Deleted", "[data-testid=toasts]")
    with gateway_session() as gw:
        assert gw.get(f"/api/videos/{video['short_id']}", token=token(uploader)).status_code == 404


@pytest.mark.console_allow(r"ERR_INTERNET_DISCONNECTED", r"Failed to fetch")
def test_my_videos_catch_up_after_the_live_stream_dropped(browser, shot, uploader, clips):
    """Offline for a while: the stream drops, and on reconnecting (with Last-Event-ID) the status
    events missed meanwhile are replayed: a video uploaded and processed while offline shows up ready."""
    sign_in(browser, uploader, "/my/videos")
    indicator = ".live-indicator"
    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, indicator).get_attribute("data-state") == "open", 15,
               "the live stream did not open")
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, indicator).get_attribute("data-state") == "reconnecting",
                   20, "the page did not notice the dropped stream")
        shot("my-videos-offline")
        with gateway_session() as gw:
            response = upload_multipart(gw, token(uploader), clips["six"], title="Made while offline")
            assert response.status_code == 201, response.text
            video = response.json()
        wait_ready(video, timeout=READY_TIMEOUT)
    finally:
        throttle(browser)
    row_css = f"li.my-video[data-short-id='{video['short_id']}']"
    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, indicator).get_attribute("data-state") == "open", 30,
               "the live stream did not come back")
    row = wait_visible(browser, row_css, timeout=15)
    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, row_css).get_attribute("data-status") == "completed", 15,
               lambda: f"the replayed status did not arrive: {browser.find_element(By.CSS_SELECTOR, row_css).text!r}")
    assert "Ready" in row.text
    shot("my-videos-caught-up")


def test_a_file_dropped_on_the_drop_zone_is_chosen(browser, uploader):
    sign_in(browser, uploader, "/upload")
    wait_app_ready(browser)
    zone = browser.find_element(By.CSS_SELECTOR, "[data-testid=dropzone]")
    browser.execute_script("""
        const zone = arguments[0];
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(4096)], 'holiday_trip.mp4', {type: 'video/mp4', lastModified: 1}));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
        }
    """, zone)
    wait_for_text(browser, "holiday_trip.mp4", ".file-card")
    assert field_by_label(browser, "title").get_attribute("value") == "holiday trip"
    assert not browser.find_element(By.CSS_SELECTOR, "[data-testid=dropzone]").is_displayed()


def test_a_refused_file_and_a_failed_video_show_their_errors(browser, shot, uploader, clips):
    browser.console.allow(REFUSED_PATCH)
    sign_in(browser, uploader, "/upload")
    wait_app_ready(browser)
    # Checked in the page: not a video at all.
    send_file(file_input(browser), clips["text"])
    error = wait_visible(browser, ".field--file .field__error")
    wait_until(browser, lambda b: "doesn't look like a video" in error.text, 5, lambda: f"error: {error.text!r}")
    assert file_input(browser).get_attribute("aria-invalid") == "true"
    shot("upload-not-a-video")

    # Refused by the server: named .mp4, but no video inside.
    send_file(file_input(browser), clips["junk"])
    browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
    wait_until(browser, lambda b: "Invalid video file" in b.find_element(By.CSS_SELECTOR, ".field--file .field__error").text,
               20, lambda: f"no server error next to the file: {browser.find_element(By.TAG_NAME, 'main').text[:600]!r}")
    assert browser.find_element(By.CSS_SELECTOR, ".upload-form").is_displayed()
    shot("upload-refused")

    # Accepted, but it does not decode: the processing fails and says why.
    send_file(file_input(browser), clips["damaged"])
    fill(field_by_label(browser, "title"), "Broken clip")
    browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-testid=upload-progress][data-video-status=failed]"),
               READY_TIMEOUT, lambda: f"no failure shown: {browser.find_element(By.TAG_NAME, 'main').text[:600]!r}")
    panel = upload_panel(browser)
    video = next(v for v in my_videos_api(uploader) if v["title"] == "Broken clip")
    assert video["processing_status"] == "failed" and video["error_message"], video
    assert video["error_message"] in panel.text, panel.text
    shot("upload-failed")

    browser.find_element(By.LINK_TEXT, "My videos").click()
    row = wait_visible(browser, f"li.my-video[data-short-id='{video['short_id']}']")
    assert "Processing failed" in row.text and video["error_message"] in row.text, row.text
    browser.open(f"/v/{video['short_id']}")
    status = wait_visible(browser, "[data-testid=video-status]")
    wait_until(browser, lambda b: video["error_message"] in status.text, 10, lambda: status.text)
    shot("watch-failed")


# --- resume after a reload ------------------------------------------------------------------------


def test_an_upload_resumes_after_a_reload_from_the_offset_the_server_has(browser, shot, uploader, clips):
    big = clips["big"]
    size = big.stat().st_size
    sign_in(browser, uploader, "/upload")
    wait_app_ready(browser)
    throttle(browser, 1_500_000)
    try:
        send_file(file_input(browser), big)
        fill(field_by_label(browser, "title"), "Resumed clip")
        browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
        # At least one chunk stored (the page records the offset after each), then leave mid-chunk.
        wait_until(browser, lambda b: any(e.get("offset", 0) >= CHUNK for e in tus_store(b).values()), 30,
                   lambda: f"no chunk done: {tus_store(browser)} progress {progress_value(browser)}")
        time.sleep(1.0)
        before = progress_value(browser)
        assert 0 < before < 100, before
        shot("resume-before-reload")
        try:
            browser.refresh()
        except UnexpectedAlertPresentException:
            pass
        accept_leave_prompt(browser)
    finally:
        throttle(browser)
    wait_app_ready(browser)
    stored = tus_store(browser)
    assert len(stored) == 1, stored
    entry = next(iter(stored.values()))
    with gateway_session() as gw:
        head = gw.request("HEAD", entry["url"], token=token(uploader), headers={"Tus-Resumable": "1.0.0"})
        assert head.status_code == 200, head.status_code
        server_offset = int(head.headers["Upload-Offset"])
    assert CHUNK <= server_offset < size, (server_offset, size)

    # The same file again: the page finds the upload, tells how far it got, and continues there.
    send_file(file_input(browser), big)
    note = wait_visible(browser, "[data-testid=resume-note]")
    wait_until(browser, lambda b: "continues from there" in note.text, 10, lambda: note.text)
    assert field_by_label(browser, "title").get_attribute("value") == "Resumed clip"
    shot("resume-file-chosen")
    assert "Resume upload" in browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").text
    browser.execute_script("""
        window.__progress = [];
        const watch = () => { const p = document.querySelector('[data-testid=upload-progress] progress');
          if (p) window.__progress.push(p.value); if (!window.__stop) requestAnimationFrame(watch); };
        watch();
    """)
    browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
    wait_for_text(browser, "Upload complete", "[data-testid=upload-progress]", timeout=60)
    browser.execute_script("window.__stop = true")
    values = [v for v in browser.execute_script("return window.__progress") if v]
    assert values, "no progress seen after resuming"
    resumed_at = int(server_offset * 100 / size)
    assert values[0] >= resumed_at - 1, f"the upload started again from {values[0]} %, not from {resumed_at} %"
    assert "Resumed at" in upload_panel(browser).text or values[0] >= resumed_at - 1
    shot("resume-done")
    assert tus_store(browser) == {}, "the finished upload is still remembered"
    videos = [v for v in my_videos_api(uploader) if v["title"] == "Resumed clip"]
    assert len(videos) == 1, f"{len(videos)} videos from one resumed upload"
    with gateway_session() as gw:
        assert gw.request("HEAD", entry["url"], token=token(uploader), headers={"Tus-Resumable": "1.0.0"}).status_code == 200


def test_cancelling_an_upload_terminates_it(browser, uploader, clips):
    sign_in(browser, uploader, "/upload")
    wait_app_ready(browser)
    throttle(browser, 500_000)
    try:
        send_file(file_input(browser), clips["big"])
        fill(field_by_label(browser, "title"), "Cancelled clip")
        browser.find_element(By.CSS_SELECTOR, ".upload-form__submit").click()
        wait_until(browser, lambda b: tus_store(b), 20, "the upload was not created")
        url = next(iter(tus_store(browser).values()))["url"]
        upload_panel(browser).find_element(By.XPATH, ".//button[normalize-space()='Pause']").click()
        wait_for_text(browser, "Paused", "[data-testid=upload-progress]")
        upload_panel(browser).find_element(By.XPATH, ".//button[normalize-space()='Cancel']").click()
    finally:
        throttle(browser)
    wait_for_text(browser, "Upload cancelled", "[data-testid=toasts]")
    assert browser.find_element(By.CSS_SELECTOR, ".upload-form").is_displayed()
    assert tus_store(browser) == {}
    with gateway_session() as gw:
        gone = wait_for(lambda: gw.request("HEAD", url, token=token(uploader),
                                           headers={"Tus-Resumable": "1.0.0"}).status_code == 404, 10, 0.2)
    assert gone, "the cancelled upload still exists on the server"


# --- watch -----------------------------------------------------------------------------------------


def test_watch_plays_hls_counts_one_view_and_a_timestamped_comment_seeks(browser, shot, uploader, watch_video, category):
    video = watch_video
    sign_in(browser, uploader, f"/v/{video['short_id']}")
    wait_app_ready(browser)
    player = wait_visible(browser, "[data-testid=player]")
    assert_labelled(browser)
    main = browser.find_element(By.TAG_NAME, "main").text
    for expected in (video["title"], uploader.username, "0 views", category["name"], "Watch the bars"):
        assert expected in main, f"{expected!r} not on the page"
    shot("watch-before-play")

    # Play: the HLS ladder in the <video> (Chromium plays HLS natively).
    browser.find_element(By.CSS_SELECTOR, ".player__big-play").click()
    wait_playing(browser, advance=1.0)
    state = video_state(browser)
    assert player.get_attribute("data-source") == "hls" and "master.m3u8" in state["currentSrc"], state
    wait_for_text(browser, "1 view", ".watch__views", timeout=10)

    # Storyboard preview while hovering the timeline.
    timeline = browser.find_element(By.CSS_SELECTOR, "[data-testid=timeline]")
    ActionChains(browser).move_to_element_with_offset(timeline, int(timeline.size["width"] * 0.25), 0).perform()
    preview = wait_visible(browser, ".timeline__preview")
    wait_until(browser, lambda b: "storyboard" in (b.execute_script(
        "return document.querySelector('.timeline__preview-image').style.backgroundImage") or ""), 10,
        "no storyboard tile in the preview")
    assert ":" in preview.text
    shot("watch-storyboard-hover")

    # A comment at the current time, with a timestamp in its text.
    browser.execute_script("document.querySelector('video').pause()")
    at = int(video_state(browser)["currentTime"])
    compose = field_by_label(browser, "add a comment")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", compose)
    compose.click()
    compose.send_keys("The best part is at 0:04, look closely")
    browser.find_element(By.CSS_SELECTOR, ".comments__compose .comment-form__check").click()
    browser.find_element(By.XPATH, "//form[contains(@class,'comment-form')]//button[normalize-space()='Comment']").click()
    comment = wait_visible(browser, ".comment-thread .comment")
    assert "The best part is at" in comment.text
    chip = comment.find_element(By.CSS_SELECTOR, ".comment__at")
    assert chip.text.strip().endswith(f"0:0{at}"), (chip.text, at)
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".timeline__marker"), 10, "no comment marker on the timeline")

    # The "0:04" in the text seeks the video there.
    comment.find_element(By.CSS_SELECTOR, ".comment__ts").click()
    wait_until(browser, lambda b: abs(video_state(b)["currentTime"] - 4) < 1.2, 10,
               lambda: f"the video did not seek to 0:04: {video_state(browser)}")
    browser.execute_script("document.querySelector('video').pause()")
    # …and so does the comment's own time chip.
    chip.click()
    wait_until(browser, lambda b: abs(video_state(b)["currentTime"] - at) < 1.2, 10,
               lambda: f"the chip did not seek to {at}: {video_state(browser)}")
    browser.execute_script("document.querySelector('video').pause()")

    # A reply.
    comment.find_element(By.XPATH, ".//button[contains(., 'Reply')]").click()
    reply_box = field_by_label(browser, "reply to")
    reply_box.send_keys("Agreed!")
    browser.find_element(By.XPATH, "//div[contains(@class,'comment-thread__reply-form')]//button[normalize-space()='Reply']").click()
    wait_for_text(browser, "Agreed!", ".comment-thread__replies")
    shot("watch-comments")

    # Views: one per page view, however often it plays.
    browser.execute_script("const v = document.querySelector('video'); v.play();")
    time.sleep(1)
    with gateway_session() as gw:
        assert read_video(gw, refreshed(uploader), video)["view_count"] == 1

    # Save to a new playlist from the menu.
    browser.execute_script("document.querySelector('video').pause(); window.scrollTo(0, 0)")
    browser.find_element(By.CSS_SELECTOR, ".playlist-picker > button").click()
    wait_visible(browser, ".playlist-menu")
    browser.find_element(By.CSS_SELECTOR, ".playlist-menu__new").click()
    name = f"Keep {secrets.token_hex(2)}"
    fill(field_by_label(browser, "name of the new playlist"), name)
    browser.find_element(By.XPATH, "//form[contains(@class,'playlist-menu__create')]//button[normalize-space()='Create']").click()
    box = wait_visible(browser, ".playlist-menu__item input")
    wait_until(browser, lambda b: box.is_selected(), 10, "the new playlist is not ticked")
    shot("watch-playlist-menu")
    with gateway_session() as gw:
        mine = gw.get(f"/api/playlists/videos/{video['id']}/playlists", token=token(uploader)).json()["playlists"]
        assert any(p["name"] == name and p["contains_video"] for p in mine), mine
    box.click()  # untick: removed again
    wait_for_text(browser, "Removed from", "[data-testid=toasts]")
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)  # Escape closes the menu, focus back on Save
    wait_until(browser, lambda b: not b.find_element(By.CSS_SELECTOR, ".playlist-menu").is_displayed(), 5, "menu stayed open")
    assert browser.switch_to.active_element == browser.find_element(By.CSS_SELECTOR, ".playlist-picker > button")


def test_the_player_works_from_the_keyboard(browser, uploader, watch_video):
    sign_in(browser, uploader, f"/v/{watch_video['short_id']}")
    wait_app_ready(browser)
    wait_visible(browser, "[data-testid=player]")
    browser.execute_script("document.querySelector('video').muted = true")
    play = browser.find_element(By.CSS_SELECTOR, ".player__controls .player__button")  # the first: play/pause
    browser.execute_script("arguments[0].focus()", play)
    play.send_keys(Keys.ENTER)
    wait_playing(browser, advance=0.5)
    browser.switch_to.active_element.send_keys("k")  # pause
    wait_until(browser, lambda b: video_state(b)["paused"], 5, "k did not pause")
    timeline = browser.find_element(By.CSS_SELECTOR, "[data-testid=timeline]")
    browser.execute_script("arguments[0].focus()", timeline)
    start = video_state(browser)["currentTime"]
    timeline.send_keys(Keys.HOME)
    wait_until(browser, lambda b: video_state(b)["currentTime"] < 0.3, 5, "Home did not go to the start")
    timeline.send_keys(Keys.ARROW_RIGHT)
    wait_until(browser, lambda b: abs(video_state(b)["currentTime"] - 5) < 0.6, 5,
               lambda: f"→ did not seek 5 s (from {start}): {video_state(browser)}")
    assert timeline.get_attribute("aria-valuenow") == "5"
    # The speed menu: open with Enter, move with ↓, choose with Enter.
    speed = browser.find_element(By.CSS_SELECTOR, "[aria-haspopup=menu]")
    browser.execute_script("arguments[0].focus()", speed)
    speed.send_keys(Keys.ENTER)
    wait_visible(browser, "[role=menu]")
    active = browser.switch_to.active_element
    assert active.get_attribute("aria-checked") == "true" and "Normal" in active.text
    active.send_keys(Keys.ARROW_DOWN)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_until(browser, lambda b: b.execute_script("return document.querySelector('video').playbackRate") == 1.25, 5,
               "the speed did not change")
    assert browser.switch_to.active_element == speed, "focus did not return to the speed button"
    wait_until(browser, lambda b: "1.25" in speed.get_attribute("aria-label"), 5,
               lambda: f"the speed button still says {speed.get_attribute('aria-label')!r}")
    # Mute with m.
    speed.send_keys("m")
    wait_until(browser, lambda b: video_state(b)["muted"] is False, 5, "m did not unmute")


# --- phone -------------------------------------------------------------------------------------------


def test_media_pages_fit_a_phone(browser, shot, uploader, watch_video):
    browser.use_phone()
    for path, name in ((f"/v/{watch_video['short_id']}", "watch"), ("/upload", "upload"), ("/my/videos", "my-videos")):
        sign_in(browser, uploader, path) if name == "watch" else browser.open(path)
        wait_app_ready(browser)
        wait_visible(browser, "h1")
        if name == "watch":
            wait_visible(browser, "[data-testid=player]")
        assert_no_overflow(browser)
        assert_labelled(browser)
        shot(f"phone-{name}")
