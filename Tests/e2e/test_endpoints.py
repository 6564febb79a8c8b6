"""What every Clipset process serves: /health, /ready, /metrics, request ids
(echoed and logged) and JSON 404s. Each test runs once per process."""

import secrets

from support import Process, field, json_log_lines, wait_for


def test_health_is_ok(proc: Process):
    response = proc.get("/health")
    assert response.status_code == 200, response.text
    assert response.json().get("status") == "ok", response.text


def test_ready_reports_every_dependency_ok(proc: Process):
    response = proc.get("/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("status") == "ok", body
    checks = body.get("checks")
    assert isinstance(checks, dict), body
    missing = proc.expected_checks - checks.keys()
    assert not missing, f"/ready of {proc.name} lacks checks {sorted(missing)}: {body}"
    for name, check in checks.items():
        assert isinstance(check, dict) and check.get("status") == "ok", f"check {name}: {check}"


def test_metrics_count_requests_by_route(proc: Process):
    assert proc.get("/health").status_code == 200
    response = proc.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers.get("Content-Type", "").startswith("text/plain"), response.headers
    lines = response.text.splitlines()
    counted = [line for line in lines if line.startswith("http_requests_total{") and '"/health"' in line]
    assert counted, f"no http_requests_total sample for /health in:\n{response.text[:2000]}"
    buckets = [line for line in lines if line.startswith("http_request_duration_seconds_bucket{")]
    assert any('le="' in line for line in buckets), "no http_request_duration_seconds buckets"


def test_every_response_has_a_request_id(proc: Process):
    for path in ("/health", "/ready", "/metrics", "/e2e-no-such-path"):
        response = proc.get(path)
        assert response.headers.get("X-Request-ID"), f"{path} has no X-Request-ID"


def test_given_request_id_is_echoed_and_logged(proc: Process):
    request_id = f"e2e-{proc.name}-{secrets.token_hex(6)}"
    response = proc.get("/health", headers={"X-Request-ID": request_id})
    assert response.status_code == 200
    assert response.headers.get("X-Request-ID") == request_id
    response = proc.get("/e2e-no-such-path", headers={"X-Request-ID": request_id})
    assert response.headers.get("X-Request-ID") == request_id

    def logged_entry():
        entries = json_log_lines(proc.log_path)
        return next((e for e in entries if field(e, "request.id") == request_id), None)

    entry = wait_for(logged_entry, timeout=5)
    assert entry is not None, f"no JSON line with request.id={request_id} in {proc.log_path}"


def test_unknown_path_is_a_json_404(proc: Process):
    # Outside /api the gateway answers with the UI (its single-page app routes itself).
    path = "/api/e2e/no/such/path" if proc.name == "gateway" else "/e2e/no/such/path"
    response = proc.get(path)
    assert response.status_code == 404, response.text
    assert "json" in response.headers.get("Content-Type", ""), response.headers
    assert "detail" in response.json(), response.text
