"""Checks every browser test can make of a page: well-formed (one <h1>, labelled controls,
named buttons and links, alt on images, unique ids, lang, title), no sideways scrolling, settled
(nothing in the outlet still loading), and the heading waits."""

import re

from browser_support import By, wait_app_ready, wait_for_text, wait_until, wait_visible, sign_in_fast, LOGIN_PATH

PAGE_AUDIT_JS = """
const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.name ? '[name=' + el.name + ']' : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
const named = (el) => text(el) || (el.getAttribute('aria-label') || '').trim() ||
  (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => id && document.getElementById(id) && text(document.getElementById(id))) ||
  [...el.querySelectorAll('img[alt]')].some((img) => img.alt.trim());
const controls = [...document.querySelectorAll('input, select, textarea')].filter((c) => c.type !== 'hidden');
const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
return {
  h1: [...document.querySelectorAll('h1')].map(text),
  unlabelled: controls.filter((c) => ![...(c.labels || [])].some((label) => text(label))).map(describe),
  namelessButtons: [...document.querySelectorAll('button')].filter((b) => !named(b)).map(describe),
  namelessLinks: [...document.querySelectorAll('a[href]')].filter((a) => !named(a)).map(describe),
  imagesWithoutAlt: [...document.querySelectorAll('img:not([alt])')].map(describe),
  duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
  lang: document.documentElement.lang,
  title: document.title,
};
"""

OVERFLOW_JS = """
const width = window.innerWidth;
const wide = [...document.querySelectorAll('body *')].filter((el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== 'fixed';
}).slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).join('.') +
  ' right=' + Math.round(el.getBoundingClientRect().right));
return {width, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth, wide};
"""


def audit_page(browser) -> dict:
    """Exactly one <h1>; every form control labelled by a <label> with text; every button and link
    named; every <img> has alt; no duplicate ids; <html lang>; the title says Clipset."""
    found = browser.execute_script(PAGE_AUDIT_JS)
    where = browser.path
    assert len(found["h1"]) == 1, f"{where}: {len(found['h1'])} <h1> elements: {found['h1']}"
    assert not found["unlabelled"], f"{where}: form controls without a <label>: {found['unlabelled']}"
    assert not found["namelessButtons"], f"{where}: buttons without a name: {found['namelessButtons']}"
    assert not found["namelessLinks"], f"{where}: links without a name: {found['namelessLinks']}"
    assert not found["imagesWithoutAlt"], f"{where}: <img> without alt: {found['imagesWithoutAlt']}"
    assert not found["duplicateIds"], f"{where}: duplicate ids: {found['duplicateIds']}"
    assert found["lang"] == "en", f"{where}: <html lang={found['lang']!r}>"
    assert found["title"].endswith("Clipset"), f"{where}: title {found['title']!r}"
    return found


def assert_no_sideways_scroll(browser) -> None:
    found = browser.execute_script(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["width"] and found["bodyScrollWidth"] <= found["width"], \
        f"{browser.path} scrolls sideways at {found['width']} px: {found}"


def settled(browser) -> None:
    """The app is ready and nothing in the outlet is still loading."""
    wait_app_ready(browser)
    wait_until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "#main [aria-busy=true], html[data-loading]"),
               message="the page keeps loading (aria-busy)")


def sign_in(browser, user, path: str = "/") -> dict:
    """browser_support.sign_in_fast, starting from a settled login page (the app there must not
    be booting while the token is seeded: sign_in_fast waits for that too now)."""
    browser.open(LOGIN_PATH)
    wait_app_ready(browser)
    return sign_in_fast(browser, user, path)


def h1_text(browser) -> str:
    return wait_visible(browser, "#main h1").text


def wait_h1(browser, text: str) -> str:
    """Until the page's <h1> reads exactly `text` (a substring could match the page being left)."""
    return wait_for_text(browser, re.compile(r"^\s*" + re.escape(text) + r"\s*$"), "#main h1").text
