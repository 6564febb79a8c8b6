"""Rate limits at the edge (test settings: anonymous 30/s burst 60 per client
address, signed-in 200/s burst 400 per user).

- Responses of /api paths carry X-RateLimit-Limit, -Remaining and -Reset.
- One address sending faster than its rate gets 429 JSON with a positive
  integer Retry-After and the X-RateLimit headers once its burst is spent;
  another address is unaffected; the UI (/) is not limited.
- A signed-in user's bucket is the user's: requests with the same token from
  another address share it, and the limit says 400.

The bursts are pipelined on one connection, so the gateway gets them as fast
as it can take them and the test does not depend on the client's speed.
"""

import pytest

from auth_client import register
from gateway_support import RATE_LIMIT_HEADERS, assert_json_error, assert_rate_limit_headers, pipelined

ANON_BURST = 60
USER_BURST = 400
CHEAP_PUBLIC = "/api/invitations/validate/x"


def test_api_responses_carry_rate_limit_headers(gw, api, admin):
    anonymous = gw.get(CHEAP_PUBLIC)
    assert anonymous.status_code == 200, anonymous.text
    remaining, _ = assert_rate_limit_headers(anonymous, ANON_BURST)
    assert remaining == ANON_BURST - 1, f"a fresh address has {remaining} requests left"
    assert_rate_limit_headers(gw.get("/api/health"), ANON_BURST)
    user = register(api, admin)
    signed_in = gw.get("/api/auth/me", token=user.access_token)
    assert signed_in.status_code == 200, signed_in.text
    assert_rate_limit_headers(signed_in, USER_BURST)


@pytest.mark.parametrize("path,status", [("/api/auth/me", 401), ("/api/nope", 404)])
def test_edge_refusals_carry_rate_limit_headers(gw, path, status):
    # Counted against the caller's bucket like any other /api request, so they should say so.
    response = gw.get(path)
    assert response.status_code == status, response.text
    assert_rate_limit_headers(response, ANON_BURST)


def test_anonymous_address_over_its_burst_gets_429(gw):
    headers = {"X-Forwarded-For": gw.ip}
    responses = pipelined(gw.base_url, [(CHEAP_PUBLIC, headers)] * (3 * ANON_BURST))
    statuses = [r.status for r in responses]
    assert 429 in statuses, f"no 429 after {len(statuses)} requests from one address: {statuses}"
    first = statuses.index(429)
    assert first >= ANON_BURST, f"429 after only {first} requests (burst is {ANON_BURST})"
    assert set(statuses) <= {200, 429}, statuses

    refused = responses[first]
    assert "json" in refused.headers.get("content-type", ""), refused.headers
    assert refused.json().get("detail", "").startswith("Rate limit exceeded"), refused.body
    retry_after = refused.headers.get("retry-after", "")
    assert retry_after.isdigit() and int(retry_after) > 0, f"Retry-After {retry_after!r}"
    missing = [name for name in RATE_LIMIT_HEADERS if name.lower() not in refused.headers]
    assert not missing, f"429 lacks {missing}: {refused.headers}"
    assert refused.headers["x-ratelimit-limit"] == str(ANON_BURST), refused.headers
    assert refused.headers["x-ratelimit-remaining"] == "0", refused.headers

    # Another address has its own bucket; the UI is never limited.
    other = gw.elsewhere().get(CHEAP_PUBLIC)
    assert other.status_code == 200, other.text
    assert_rate_limit_headers(other, ANON_BURST)
    limited = gw.get(CHEAP_PUBLIC)
    ui = gw.get("/")
    assert ui.status_code == 200, f"/ from a limited address: {ui.status_code} (last /api: {limited.status_code})"
    assert not any(name in ui.headers for name in RATE_LIMIT_HEADERS), ui.headers


def test_signed_in_limit_is_per_user_across_addresses(gw, api, admin):
    user = register(api, admin)
    auth = {"Authorization": f"Bearer {user.access_token}"}
    # /api/nope costs nothing upstream; the proxied 404 of media reports the bucket.
    burst = [("/api/nope", {**auth, "X-Forwarded-For": gw.ip})] * 300
    probe = ("/api/videos/e2e-rate", {**auth, "X-Forwarded-For": gw.ip})
    responses = pipelined(gw.base_url, burst + [probe])
    assert all(r.status == 404 for r in responses), [r.status for r in responses if r.status != 404][:5]
    assert responses[-1].headers.get("x-ratelimit-limit") == str(USER_BURST), responses[-1].headers
    spent = int(responses[-1].headers["x-ratelimit-remaining"])
    assert spent < USER_BURST - 50, \
        f"300 pipelined requests left {spent} of {USER_BURST}: the gateway took them slower than the 200/s refill"

    elsewhere = gw.elsewhere()
    response = elsewhere.get("/api/videos/e2e-rate", token=user.access_token)
    assert_json_error(response, 404)
    remaining, _ = assert_rate_limit_headers(response, USER_BURST)
    assert remaining < USER_BURST - 1, \
        f"another address got a fresh bucket ({remaining} left) although the user spent it down to {spent}"
    assert remaining <= spent + 40, f"{remaining} left from another address, {spent} from the first"

    # The address's anonymous bucket is untouched by the user's requests.
    anonymous = gw.get(CHEAP_PUBLIC)
    assert assert_rate_limit_headers(anonymous, ANON_BURST)[0] == ANON_BURST - 1, anonymous.headers
