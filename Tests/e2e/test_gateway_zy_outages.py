"""A service behind the gateway that hangs or is down (notify; see
process_control.py). Runs after the other gateway tests, before
test_zz_resilience.

- Hung (SIGSTOP): a request for it is a 504 JSON after GATEWAY_UPSTREAM_TIMEOUT
  (3 s in the tests), not a request that hangs with the service.
- Down (terminated): a 503 JSON with Retry-After at once; /api/health is 503
  with Retry-After and notify not ok, the other services still ok.
- Afterwards notify answers through the gateway again.
"""

import time

import requests

from auth_client import register
from gateway_support import assert_json_error
from process_control import paused, stopped
from support import wait_for

UPSTREAM_TIMEOUT = 3
PREFERENCES = "/api/notifications/preferences"


def answers_again(gw, user) -> bool:
    try:
        return gw.get(PREFERENCES, token=user.access_token).status_code == 200
    except requests.RequestException:
        return False


def test_hung_service_is_a_504_after_the_upstream_timeout(gw, api, admin):
    user = register(api, admin)
    assert gw.get(PREFERENCES, token=user.access_token).status_code == 200
    with paused("notify"):
        start = time.monotonic()
        response = gw.get(PREFERENCES, token=user.access_token, timeout=30)
        elapsed = time.monotonic() - start
        assert_json_error(response, 504)
        assert UPSTREAM_TIMEOUT - 0.5 <= elapsed <= 2 * UPSTREAM_TIMEOUT, \
            f"504 after {elapsed:.1f} s (GATEWAY_UPSTREAM_TIMEOUT={UPSTREAM_TIMEOUT})"
        # The gateway itself stays responsive meanwhile.
        assert gw.get("/api/invitations/validate/x", timeout=5).status_code == 200
    assert wait_for(lambda: answers_again(gw, user), timeout=15), "notify does not answer through the gateway again"


def test_stopped_service_is_a_503_and_fails_the_health_report(gw, api, admin):
    user = register(api, admin)
    assert gw.get(PREFERENCES, token=user.access_token).status_code == 200
    with stopped("notify"):
        start = time.monotonic()
        response = gw.get(PREFERENCES, token=user.access_token, timeout=30)
        assert_json_error(response, 503)
        assert time.monotonic() - start < UPSTREAM_TIMEOUT, "a refused connection should fail fast"
        retry_after = response.headers.get("Retry-After", "")
        assert retry_after.isdigit() and int(retry_after) > 0, f"Retry-After {retry_after!r}"

        health = gw.get("/api/health", timeout=15)
        assert health.status_code == 503, health.text
        retry_after = health.headers.get("Retry-After", "")
        assert retry_after.isdigit() and int(retry_after) > 0, f"/api/health Retry-After {retry_after!r}"
        body = health.json()
        assert body.get("status") != "ok", body
        services = body.get("services", {})
        assert services.get("notify", {}).get("status") != "ok", body
        for name in ("auth", "media", "social", "gateway"):
            assert services.get(name, {}).get("status") == "ok", f"{name}: {body}"
    assert wait_for(lambda: answers_again(gw, user), timeout=15), "notify does not answer through the gateway again"
    assert gw.get("/api/health", timeout=15).status_code == 200
