"""GET /api/health: the readiness of every service and of the gateway, in one
report: 200 {"status": "ok", "services": {name: {"status": "ok", ...}}} when
all are ready (a notify outage, 503, is in test_gateway_zy_outages.py)."""

SERVICES = {"auth", "media", "social", "notify", "gateway"}


def test_health_reports_every_service_ok(gw):
    response = gw.get("/api/health")
    assert response.status_code == 200, response.text
    assert "json" in response.headers.get("Content-Type", ""), response.headers
    body = response.json()
    assert body.get("status") == "ok", body
    services = body.get("services")
    assert isinstance(services, dict) and SERVICES <= services.keys(), body
    for name in SERVICES:
        assert services[name].get("status") == "ok", f"{name}: {services[name]}"
    assert "Retry-After" not in response.headers, response.headers


def test_health_needs_no_token_and_ignores_a_bad_one(gw):
    response = gw.get("/api/health", token="not.a.token")
    assert response.status_code == 200, response.text
