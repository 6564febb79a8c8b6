"""The browse pages of the web UI in a real Chromium, against the test platform: the home grid of
ready videos (thumbnail, duration, title, uploader, views), search, the category filter and the
sort (each reflected in the URL), the categories and one category's page, a profile with its
videos, the people directory with its search, the keyboard path from the search box to a
video, and every page on a 390 px phone.

The module makes its own world once: an uploader with three ready videos whose titles share a
random tag (Mango, then Apple, then Zebra, so newest, oldest, title and views orders all differ),
two of them in a category of its own, an empty category, and views (Apple 3, Zebra 1, Mango 0).
Screenshots: .local/test/artifacts/screenshots/test_browser_browse/.
"""

import secrets
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from auth_client import unique_name
from browser_support import By, Keys, field_by_label, fill, wait_for_text, wait_until, wait_url, wait_visible
from page_checks import assert_no_sideways_scroll, audit_page, settled, sign_in, wait_h1
from media_client import psql, wait_ready
from social_support import (cached_admin, create_category, gateway_session, new_user, probe_user, read_video, upload,
                            wait_social_sees)
from support import wait_for

try:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select
except ImportError:  # conftest.py skips (or fails, on CI) before these are needed
    ActionChains = Select = None

API_404 = r"/api/\S* - Failed to load resource: the server responded with a status of 404"


def query_of(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query).items()}


# --- the video grid --------------------------------------------------------------------------------

CARDS_JS = """
return [...document.querySelectorAll('#main article.video-card[data-short-id]')].map((card) => {
  const link = card.querySelector('a.video-card__link');
  const img = card.querySelector('.video-card__thumb img');
  const uploader = card.querySelector('a.video-card__uploader');
  const chip = card.querySelector('a.video-card__category');
  const metas = [...card.querySelectorAll('.video-card__meta')].map((m) => m.innerText.replace(/\\s+/g, ' ').trim());
  return {
    id: card.dataset.shortId,
    title: link ? link.childNodes[0].textContent.trim() : null,
    href: link ? link.getAttribute('href') : null,
    name: link ? link.textContent.replace(/\\s+/g, ' ').trim() : null,
    duration: card.querySelector('.video-card__duration')?.textContent.trim() ?? null,
    uploader: uploader ? uploader.textContent.trim() : null,
    uploaderHref: uploader ? uploader.getAttribute('href') : null,
    category: chip ? chip.textContent.trim() : null,
    categoryHref: chip ? chip.getAttribute('href') : null,
    meta: metas.join(' | '),
    thumb: img ? { src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0,
                   width: img.naturalWidth, height: img.naturalHeight, shown: img.getBoundingClientRect().width } : null,
  };
});
"""


def cards(browser) -> list:
    return browser.execute_script(CARDS_JS)


def grid_titles(browser) -> list:
    return [card["title"] for card in cards(browser)]


def wait_grid(browser, expected: list, what: str = "the grid") -> list:
    """Until the grid's titles are exactly `expected` (in order) and nothing is loading."""
    wait_until(browser, lambda b: grid_titles(b) == expected and not b.find_elements(
        By.CSS_SELECTOR, "#main [aria-busy=true]"), timeout=15,
        message=lambda: f"{what}: titles {grid_titles(browser)}, expected {expected}")
    return cards(browser)


def wait_thumbnails(browser, short_ids) -> None:
    for short_id in short_ids:
        card = browser.find_element(By.CSS_SELECTOR, f"#main article.video-card[data-short-id='{short_id}']")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", card)
        wait_until(browser, lambda b: (lambda c: c and c["thumb"] and c["thumb"]["loaded"])(
            next((c for c in cards(b) if c["id"] == short_id), None)), timeout=15,
            message=lambda: f"the thumbnail of {short_id} did not load: {[c for c in cards(browser) if c['id'] == short_id]}")
    browser.execute_script("window.scrollTo(0, 0)")


def choose(select_element, label: str) -> None:
    Select(select_element).select_by_visible_text(label)


def mark_page(browser) -> None:
    """Marks the page now in the outlet, so that wait_new_page() can tell when the router replaced it."""
    browser.execute_script("document.querySelector('#main > *')?.setAttribute('data-test-old-page', '')")


def wait_new_page(browser) -> None:
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#main > *") and not b.find_elements(
        By.CSS_SELECTOR, "#main > [data-test-old-page]"), message="the router did not render the new page")


def change_sort(browser, label: str) -> None:
    """Chooses `label` in the page's "Sort by" control and waits for the page the router renders for it."""
    mark_page(browser)
    choose(sort_select(browser), label)
    wait_new_page(browser)


def sort_select(browser):
    return field_by_label(browser, "Sort by")


# --- the module's world ----------------------------------------------------------------------------


def view(gw, user, video, times: int) -> None:
    for _ in range(times):
        response = gw.post(f"/api/videos/{video['short_id']}/view", token=user.access_token)
        assert response.status_code == 200, f"view: {response.status_code} {response.text[:300]}"


@pytest.fixture(scope="module")
def library():
    admin = cached_admin()
    tag = "t" + secrets.token_hex(4)
    uploader = new_user(unique_name("up"))
    viewer = new_user(unique_name("vw"))
    with gateway_session() as gw:
        category = create_category(gw, admin, name=f"Birds {tag}", description="Small birds, filmed up close.")
        empty = create_category(gw, admin, name=f"Empty {tag}")
        known = wait_for(lambda: psql(
            f"SELECT count(*) FROM media.categories WHERE category_id = '{category['id']}'") == "1", 15)
        assert known, "media never learnt of the category"
        specs = [("Mango", category), ("Apple", category), ("Zebra", None)]
        uploaded = [upload(gw, uploader, f"{name} {tag}", **({"category_id": cat["id"]} if cat else {}))
                    for name, cat in specs]
        for video in uploaded:
            wait_ready(video)
        for video in uploaded:
            wait_social_sees(gw, probe_user(), video)
        mango, apple, zebra = (read_video(gw, uploader, video) for video in uploaded)
        view(gw, viewer, apple, 3)
        view(gw, viewer, zebra, 1)

        def by_views():
            body = gw.get("/api/videos/", params={"search": tag, "sort": "view_count", "order": "desc"},
                          token=viewer.access_token).json()
            return [v["id"] for v in body["videos"]] == [apple["id"], zebra["id"], mango["id"]]

        assert wait_for(by_views, 20, 0.3), "the API does not sort the tag's videos by views within 20 s"
    return SimpleNamespace(tag=tag, uploader=uploader, viewer=viewer, category=category, empty=empty,
                           mango=mango, apple=apple, zebra=zebra,
                           titles={v["short_id"]: v["title"] for v in (mango, apple, zebra)})


def title(name: str, world) -> str:
    return f"{name} {world.tag}"


# --- the home grid ---------------------------------------------------------------------------------


def test_home_grid_shows_ready_videos_with_thumbnail_duration_title_uploader_and_views(browser, shot, gw, library,
                                                                                        viewport):
    world = library
    sign_in(browser, world.viewer, "/")
    assert wait_h1(browser, f"Welcome, {world.viewer.username}")
    # Newest first: nothing was uploaded after this module's three videos.
    expected = [title("Zebra", world), title("Apple", world), title("Mango", world)]
    wait_until(browser, lambda b: grid_titles(b)[:3] == expected, timeout=15,
               message=lambda: f"the newest videos on the home page are {grid_titles(browser)[:5]}, expected {expected}")
    settled(browser)
    wait_thumbnails(browser, [world.zebra["short_id"], world.apple["short_id"], world.mango["short_id"]])
    shown = {card["id"]: card for card in cards(browser)}
    # Apple 3, Zebra 1, Mango 0 from the fixture (more if another test opened one already).
    counts = {name: read_video(gw, world.viewer, video)["view_count"]
              for name, video in (("Zebra", world.zebra), ("Apple", world.apple), ("Mango", world.mango))}
    assert counts["Apple"] >= 3 and counts["Zebra"] >= 1, counts
    views = {name: f"{n} view" if n == 1 else f"{n} views" for name, n in counts.items()}
    for name, video in (("Zebra", world.zebra), ("Apple", world.apple), ("Mango", world.mango)):
        card = shown[video["short_id"]]
        assert card["title"] == title(name, world), card
        assert card["href"] == f"/v/{video['short_id']}", card
        assert card["duration"] == "0:02", f"duration of a 2 s clip: {card}"
        assert card["name"] == f"{title(name, world)}, 2 seconds", f"the link's accessible name: {card}"
        assert card["uploader"] == world.uploader.username, card
        assert card["uploaderHref"] == f"/u/{world.uploader.username}", card
        assert views[name] in card["meta"], f"{name} should show {views[name]!r}: {card}"
        assert card["thumb"]["src"].startswith("blob:"), card
        assert card["thumb"]["width"] >= 160 and card["thumb"]["shown"] > 100, f"thumbnail too small: {card}"
        if name == "Zebra":
            assert card["category"] is None, card
        else:
            assert card["category"] == world.category["name"], card
            assert card["categoryHref"] == f"/c/{world.category['slug']}", card
    audit_page(browser)
    if viewport == "phone":
        assert_no_sideways_scroll(browser)
        assert browser.find_element(By.CSS_SELECTOR, ".primary-nav").is_displayed(), "no tab bar on the phone"
    shot(f"home-{viewport}")

    # The uploader's name on a card opens their profile.
    browser.find_element(By.CSS_SELECTOR, f"article[data-short-id='{world.zebra['short_id']}'] a.video-card__uploader").click()
    wait_url(browser, f"/u/{world.uploader.username}")
    assert wait_h1(browser, world.uploader.username)


def test_search_category_and_sort_change_the_grid_and_the_url(browser, shot, library):
    world = library
    tag = world.tag
    sign_in(browser, world.viewer, "/")
    settled(browser)

    search = field_by_label(browser, "Search videos")
    fill(search, tag)
    search.send_keys(Keys.ENTER)
    wait_url(browser, f"/?q={tag}")
    assert wait_h1(browser, f"Results for “{tag}”")
    assert browser.title == f"{tag} – Search · Clipset"
    newest = [title("Zebra", world), title("Apple", world), title("Mango", world)]
    wait_grid(browser, newest, "search, newest first")
    assert wait_for_text(browser, "3 results", "#main .home-hero__count")
    assert field_by_label(browser, "Search videos").get_attribute("value") == tag, "the header box lost the query"
    assert sort_select(browser).get_attribute("value") == "newest"
    settled(browser)
    audit_page(browser)
    shot("search-newest")

    orders = {
        "Title (A–Z)": ("title", ["Apple", "Mango", "Zebra"]),
        "Most viewed": ("views", ["Apple", "Zebra", "Mango"]),
        "Oldest": ("oldest", ["Mango", "Apple", "Zebra"]),
    }
    for label, (value, names) in orders.items():
        change_sort(browser, label)
        wait_url(browser, f"/?q={tag}&sort={value}")
        wait_grid(browser, [title(n, world) for n in names], f"sorted by {label}")
        assert sort_select(browser).get_attribute("value") == value
    settled(browser)
    shot("search-oldest")

    # The category chip keeps the query and the sort; "All" drops the category again.
    chips = browser.find_element(By.CSS_SELECTOR, "#main nav.chips-nav")
    chips.find_element(By.LINK_TEXT, world.category["name"]).click()
    wait_url(browser, lambda url: query_of(browser) == {"q": tag, "sort": "oldest", "category": world.category["slug"]})
    wait_grid(browser, [title("Mango", world), title("Apple", world)], "in the category, oldest first")
    chip = browser.find_element(By.CSS_SELECTOR, "#main nav.chips-nav a[aria-current=page]")
    assert chip.text == world.category["name"]
    assert wait_for_text(browser, "2 results", "#main .home-hero__count")
    settled(browser)
    audit_page(browser)
    shot("search-in-category")
    browser.find_element(By.CSS_SELECTOR, "#main nav.chips-nav").find_element(By.LINK_TEXT, "All").click()
    wait_url(browser, lambda url: query_of(browser) == {"q": tag, "sort": "oldest"})
    wait_grid(browser, [title(n, world) for n in ("Mango", "Apple", "Zebra")], "all categories again")

    # The category alone (no search) from a URL: the h1 names it.
    browser.open(f"/?category={world.category['slug']}&sort=title")
    assert wait_h1(browser, world.category["name"])
    wait_grid(browser, [title("Apple", world), title("Mango", world)], "the category filter from the URL")
    assert sort_select(browser).get_attribute("value") == "title"

    # Nothing found: an empty state that offers to clear the search.
    missing = "nothing" + secrets.token_hex(4)
    search = field_by_label(browser, "Search videos")
    fill(search, missing)
    search.send_keys(Keys.ENTER)
    wait_url(browser, lambda url: query_of(browser).get("q") == missing)
    empty = wait_visible(browser, "#main [data-testid=empty-state]")
    assert f"No videos match “{missing}”" in empty.text, empty.text
    assert grid_titles(browser) == []
    settled(browser)
    audit_page(browser)
    shot("search-no-results")
    empty.find_element(By.LINK_TEXT, "Clear search").click()
    wait_url(browser, lambda url: "q" not in query_of(browser))
    assert query_of(browser) == {"category": world.category["slug"], "sort": "title"}, browser.current_url


# --- categories ------------------------------------------------------------------------------------


@pytest.mark.console_allow(API_404)
def test_categories_and_one_category_page(browser, shot, library):
    world = library
    category = world.category
    sign_in(browser, world.viewer, "/categories")
    assert wait_h1(browser, "Categories")
    tile = wait_visible(browser, f"#main a.tile__link[href='/c/{category['slug']}']")
    article = tile.find_element(By.XPATH, "ancestor::article")
    assert tile.text == category["name"]
    assert "Small birds, filmed up close." in article.text and "2 videos" in article.text, article.text
    empty_tile = browser.find_element(By.CSS_SELECTOR, f"#main a.tile__link[href='/c/{world.empty['slug']}']")
    assert "0 videos" in empty_tile.find_element(By.XPATH, "ancestor::article").text
    settled(browser)
    audit_page(browser)
    shot("categories")

    tile.click()
    wait_url(browser, f"/c/{category['slug']}")
    assert wait_h1(browser, category["name"])
    assert browser.title == f"{category['name']} · Clipset"
    wait_grid(browser, [title("Apple", world), title("Mango", world)], "the category page, newest first")
    assert wait_for_text(browser, "2 videos", "#main .category-hero")
    assert "Small birds, filmed up close." in browser.find_element(By.CSS_SELECTOR, "#main .category-hero").text
    assert all(card["category"] is None for card in cards(browser)), "the category page repeats its own chip"
    settled(browser)
    wait_thumbnails(browser, [world.apple["short_id"], world.mango["short_id"]])
    audit_page(browser)
    shot("category")

    change_sort(browser, "Title (A–Z)")
    wait_url(browser, f"/c/{category['slug']}?sort=title")
    wait_grid(browser, [title("Apple", world), title("Mango", world)], "the category page by title")
    change_sort(browser, "Oldest")
    wait_url(browser, f"/c/{category['slug']}?sort=oldest")
    wait_grid(browser, [title("Mango", world), title("Apple", world)], "the category page, oldest first")
    change_sort(browser, "Newest")
    wait_url(browser, f"/c/{category['slug']}")
    wait_grid(browser, [title("Apple", world), title("Mango", world)], "the category page, newest first again")

    browser.find_element(By.CSS_SELECTOR, "#main nav.breadcrumb a").click()
    wait_url(browser, "/categories")

    browser.open(f"/c/{world.empty['slug']}")
    assert wait_h1(browser, world.empty["name"])
    empty = wait_visible(browser, "#main [data-testid=empty-state]")
    assert f"Nothing in {world.empty['name']} yet" in empty.text
    settled(browser)
    audit_page(browser)
    shot("category-empty")

    browser.open("/c/no-such-category-" + world.tag)
    assert wait_h1(browser, "Category not found")
    assert browser.title == "Category not found · Clipset"
    settled(browser)
    audit_page(browser)
    shot("category-not-found")


# --- profiles --------------------------------------------------------------------------------------


def test_profile_shows_the_users_videos_and_playlists_tab(browser, shot, library, viewport):
    world = library
    who = world.uploader.username
    sign_in(browser, world.viewer, f"/u/{who}")
    assert wait_h1(browser, who)
    assert browser.title == f"{who} · Clipset"
    header = browser.find_element(By.CSS_SELECTOR, "#main .profile-header")
    assert "3 videos" in header.text and "0 playlists" in header.text and "Joined" in header.text, header.text
    assert not header.find_elements(By.LINK_TEXT, "Manage my videos"), "someone else's profile offers to manage"
    shown = wait_grid(browser, [title(n, world) for n in ("Zebra", "Apple", "Mango")], "the profile's videos")
    assert all(card["uploader"] is None for card in shown), "profile cards repeat the uploader"
    assert [card["category"] for card in shown] == [None, world.category["name"], world.category["name"]]
    tab = browser.find_element(By.CSS_SELECTOR, "#main .tabs a[aria-current=page]")
    assert tab.text == "Videos"
    settled(browser)
    wait_thumbnails(browser, [world.zebra["short_id"], world.apple["short_id"], world.mango["short_id"]])
    audit_page(browser)
    if viewport == "phone":
        assert_no_sideways_scroll(browser)
    shot(f"profile-{viewport}")

    browser.find_element(By.CSS_SELECTOR, "#main .tabs").find_element(By.LINK_TEXT, "Playlists").click()
    wait_url(browser, f"/u/{who}?tab=playlists")
    empty = wait_visible(browser, "#main [data-testid=empty-state]")
    assert f"{who} has no playlists yet" in empty.text, empty.text
    assert browser.find_element(By.CSS_SELECTOR, "#main .tabs a[aria-current=page]").text == "Playlists"
    settled(browser)
    audit_page(browser)
    if viewport == "phone":
        assert_no_sideways_scroll(browser)
    shot(f"profile-playlists-{viewport}")


def test_own_profile_offers_upload_and_manage(browser, shot, library):
    world = library
    sign_in(browser, world.uploader, "/")
    settled(browser)
    browser.find_element(By.CSS_SELECTOR, ".user-menu__button").click()
    wait_visible(browser, "#user-menu-panel").find_element(By.LINK_TEXT, "Your profile").click()
    wait_url(browser, f"/u/{world.uploader.username}")
    assert wait_h1(browser, world.uploader.username)
    header = browser.find_element(By.CSS_SELECTOR, "#main .profile-header")
    assert header.find_element(By.LINK_TEXT, "Manage my videos").get_attribute("href").endswith("/my/videos")
    wait_grid(browser, [title(n, world) for n in ("Zebra", "Apple", "Mango")], "my own videos")
    settled(browser)
    audit_page(browser)
    shot("profile-own")


@pytest.mark.console_allow(API_404)
def test_unknown_profile_is_a_not_found_page(browser, shot, library):
    sign_in(browser, library.viewer, "/u/nobody_" + library.tag)
    assert wait_h1(browser, "User not found")
    assert browser.title == "User not found · Clipset"
    assert wait_visible(browser, "#main [data-testid=not-found]")
    settled(browser)
    audit_page(browser)
    shot("profile-not-found")


# --- people ----------------------------------------------------------------------------------------


def test_people_directory_search_and_sort(browser, shot, library, viewport):
    world = library
    who = world.uploader.username
    part = who.split("_", 1)[1][:8].upper()  # a piece of the name, in the other case
    sign_in(browser, world.viewer, "/users")
    assert wait_h1(browser, "People")
    settled(browser)
    assert browser.find_elements(By.CSS_SELECTOR, f"#main a.tile__link[href='/u/{who}']"), "the uploader is not listed"
    audit_page(browser)
    if viewport == "phone":
        assert_no_sideways_scroll(browser)
    shot(f"people-{viewport}")

    search = field_by_label(browser, "Find people")
    fill(search, part)
    wait_url(browser, f"/users?q={part}")
    wait_until(browser, lambda b: [a.text for a in b.find_elements(By.CSS_SELECTOR, "#main a.tile__link")] == [who],
               message=lambda: f"searching {part!r} shows "
                               f"{[a.text for a in browser.find_elements(By.CSS_SELECTOR, '#main a.tile__link')]}")
    assert wait_for_text(browser, "1 person found", "#main .directory-status")
    tile = browser.find_element(By.CSS_SELECTOR, "#main a.tile__link").find_element(By.XPATH, "ancestor::article")
    assert "3 videos" in tile.text and "0 playlists" in tile.text, tile.text
    assert browser.switch_to.active_element == search, "filtering took the focus out of the search box"
    settled(browser)
    audit_page(browser)
    shot(f"people-search-{viewport}")

    choose(field_by_label(browser, "Sort by"), "Name (A–Z)")
    wait_url(browser, f"/users?q={part}&sort=alphabetical")

    fill(search, "zz" + secrets.token_hex(5))
    empty = wait_visible(browser, "#main [data-testid=empty-state]")
    assert "Nobody matches" in empty.text, empty.text
    settled(browser)
    shot(f"people-no-match-{viewport}")

    # The same view from its URL: the box is filled in, the list filtered.
    browser.open(f"/users?q={part}&sort=alphabetical")
    wait_until(browser, lambda b: [a.text for a in b.find_elements(By.CSS_SELECTOR, "#main a.tile__link")] == [who],
               message="the directory from its URL is not filtered")
    assert field_by_label(browser, "Find people").get_attribute("value") == part
    assert field_by_label(browser, "Sort by").get_attribute("value") == "alphabetical"
    browser.find_element(By.CSS_SELECTOR, "#main a.tile__link").click()
    wait_url(browser, f"/u/{who}")
    assert wait_h1(browser, who)


# --- keyboard --------------------------------------------------------------------------------------

ACTIVE_JS = """
const el = document.activeElement;
if (!el || el === document.body) return {tag: 'body'};
return {tag: el.tagName.toLowerCase(), id: el.id, cls: String(el.className), href: el.getAttribute('href'),
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim().slice(0, 60),
        ring: (() => { const s = getComputedStyle(el), a = getComputedStyle(el, '::after');
                       return [s.outlineStyle, a.outlineStyle, s.boxShadow].join(' '); })()};
"""


def tab_until(browser, predicate, limit: int, what: str) -> tuple:
    """Presses Tab until the focused element satisfies `predicate`; returns (it, the path taken)."""
    path = []
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.execute_script(ACTIVE_JS)
        path.append(active)
        if predicate(active):
            return active, path
    pytest.fail(f"{limit} Tabs did not reach {what}; focus went through "
                f"{[(a['tag'], a.get('id') or a.get('href') or a.get('text')) for a in path]}", pytrace=False)


def test_keyboard_reaches_search_and_cards_and_enter_opens_a_video(browser, shot, library):
    world = library
    sign_in(browser, world.viewer, "/")
    settled(browser)
    wait_until(browser, lambda b: len(cards(b)) >= 3, message="no cards on the home page")
    # A freshly loaded page has no focus yet: the first Tab goes to the first control of the document.
    first, _ = tab_until(browser, lambda a: True, 1, "anything")
    assert first["tag"] == "a" and first["text"] == "Skip to content", f"the first Tab stop is {first}"
    _, path = tab_until(browser, lambda a: a.get("id") == "site-search-input", 15, "the search box")
    assert all(a["tag"] != "body" for a in path), f"focus fell back to <body> on the way: {path}"

    ActionChains(browser).send_keys(world.tag, Keys.ENTER).perform()
    wait_url(browser, f"/?q={world.tag}")
    wait_grid(browser, [title(n, world) for n in ("Zebra", "Apple", "Mango")], "search from the keyboard")
    settled(browser)
    # After a navigation the page's heading has the focus, so Tab continues from the page's start.
    wait_until(browser, lambda b: b.execute_script("return document.activeElement.tagName") == "H1",
               message="the results page's <h1> did not get the focus")

    # On the way: "Clear search", the category chips, the sort control (as many chips as categories).
    card_link, path = tab_until(browser, lambda a: "video-card__link" in a.get("cls", ""), 400, "a video card")
    assert card_link["href"] == f"/v/{world.zebra['short_id']}", f"the first card reached is {card_link}"
    assert "solid" in card_link["ring"], f"the focused card shows no focus ring: {card_link['ring']!r}"
    assert any(a.get("tag") == "select" for a in path), "the sort control was not on the way to the cards"
    shot("keyboard-card-focused")

    # The next Tab stops on this card's uploader link, then the next card's title: every card is reachable.
    nxt, _ = tab_until(browser, lambda a: "video-card__link" in a.get("cls", ""), 6, "the second card")
    assert nxt["href"] == f"/v/{world.apple['short_id']}", nxt

    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_url(browser, f"/v/{world.apple['short_id']}")
    settled(browser)
    wait_until(browser, lambda b: b.execute_script("return document.activeElement.tagName") == "H1",
               message="the video page's <h1> did not get the focus")
    audit_page(browser)
    shot("keyboard-enter-opened-video")


# --- every browse page on a phone -------------------------------------------------------------------


@pytest.mark.console_allow(API_404)
def test_every_browse_page_fits_a_phone_and_is_well_formed(browser, shot, library):
    world = library
    pages = {
        "home": "/",
        "search": f"/?q={world.tag}",
        "home-category": f"/?category={world.category['slug']}",
        "categories": "/categories",
        "category": f"/c/{world.category['slug']}",
        "category-empty": f"/c/{world.empty['slug']}",
        "category-missing": "/c/missing-" + world.tag,
        "people": "/users",
        "people-search": f"/users?q={world.uploader.username}",
        "profile": f"/u/{world.uploader.username}",
        "profile-playlists": f"/u/{world.uploader.username}?tab=playlists",
        "profile-missing": f"/u/missing_{world.tag}",
        "not-found": "/no/such/page",
    }
    sign_in(browser, world.viewer, "/")
    for size in ("desktop", "phone"):
        if size == "phone":
            browser.use_phone()
        else:
            browser.use_desktop()
        for name, path in pages.items():
            browser.open(path)
            settled(browser)
            assert browser.execute_script("return document.documentElement.dataset.session") == "user"
            audit_page(browser)
            assert_no_sideways_scroll(browser)
            if size == "phone":
                shot(f"phone-{name}")
    # The phone's tab bar: every main destination, with a name.
    nav = browser.find_element(By.CSS_SELECTOR, ".primary-nav")
    assert nav.is_displayed()
    links = nav.find_elements(By.CSS_SELECTOR, "a.primary-nav__link")
    assert [a.get_attribute("data-nav") for a in links] == ["home", "categories", "upload", "playlists", "users"]
    for link in links:
        box = link.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391, f"a tab bar link is off screen: {box}"
