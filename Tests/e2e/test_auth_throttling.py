"""Throttling of login and forgot-password (fixed windows in Redis), answered
with 429, a positive integer Retry-After and a JSON detail.

- Login per account: 10 FAILED attempts per 900 s; the 11th attempt, even
  with the right password, is 429 "Too many attempts. Try again in N seconds."
- Login per address: 30 attempts per 60 s (any usernames); the 31st is 429.
- forgot-password: 3 per hour per email, 10 per hour per address.

Each attempt of a per-account or per-email test comes from a fresh address,
and each per-address test uses one address of its own, so no other counter
gets in the way.
"""

import re
import time

import pytest

from auth_client import assert_json, login, register, unique_name

TOO_MANY = re.compile(r"^Too many attempts\. Try again in (\d+) seconds\.$")


def start_early_in_window(window: int, margin: int = 15) -> None:
    """Waits, when the clock is in the last `margin` seconds of a `window`,
    for the next window: a burst must not straddle a clock-aligned boundary."""
    remaining = window - time.time() % window
    if remaining < margin:
        time.sleep(remaining + 0.5)


def assert_throttled(response, window: int, message: bool = True) -> None:
    assert response.status_code == 429, f"expected 429, got {response.status_code}: {response.text[:300]}"
    detail = assert_json(response).get("detail")
    assert isinstance(detail, str) and detail, response.text
    retry_after = response.headers.get("Retry-After", "")
    assert retry_after.isdigit() and 0 < int(retry_after) <= window, f"Retry-After {retry_after!r}"
    if message:
        match = TOO_MANY.match(detail)
        assert match, f"detail {detail!r} is not 'Too many attempts. Try again in N seconds.'"
        assert 0 < int(match.group(1)) <= window, detail


def forgot(session, email: str):
    return session.post("/api/auth/forgot-password", json={"email": email})


def test_login_is_throttled_per_account_after_10_failures(api, admin):
    user = register(api, admin)
    start_early_in_window(900)
    for attempt in range(10):
        with api.elsewhere() as session:
            response = login(session, user.username, f"wrong-{attempt}")
        assert response.status_code == 401, f"failed attempt {attempt + 1}: {response.status_code} {response.text}"
    with api.elsewhere() as session:
        response = login(session, user.username, user.password)
    assert_throttled(response, 900)


def test_login_is_throttled_per_address_after_30_attempts(api):
    start_early_in_window(60)
    for attempt in range(30):
        response = login(api, unique_name("nobody"), "password-123")
        assert response.status_code == 401, f"attempt {attempt + 1}: {response.status_code} {response.text}"
    assert_throttled(login(api, unique_name("nobody"), "password-123"), 60)
    with api.elsewhere() as other:
        response = login(other, unique_name("nobody"), "password-123")
    assert response.status_code == 401, f"another address was throttled too: {response.status_code}"


@pytest.mark.parametrize("known", [True, False], ids=["known-email", "unknown-email"])
def test_forgot_password_is_throttled_per_email(api, admin, known):
    email = register(api, admin).email if known else f"{unique_name('nobody')}@example.com"
    start_early_in_window(3600)
    for attempt in range(3):
        with api.elsewhere() as session:
            response = forgot(session, email)
        assert response.status_code == 200, f"request {attempt + 1}: {response.status_code} {response.text}"
    with api.elsewhere() as session:
        assert_throttled(forgot(session, email), 3600, message=False)


def test_forgot_password_is_throttled_per_address(api):
    start_early_in_window(3600)
    for attempt in range(10):
        response = forgot(api, f"{unique_name('nobody')}@example.com")
        assert response.status_code == 200, f"request {attempt + 1}: {response.status_code} {response.text}"
    assert_throttled(forgot(api, f"{unique_name('nobody')}@example.com"), 3600, message=False)
    with api.elsewhere() as other:
        assert forgot(other, f"{unique_name('nobody')}@example.com").status_code == 200
