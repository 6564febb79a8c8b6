"""Outages and shutdown; runs last (it stops Redis and the social service).

- Redis down: auth's /ready is 503 with checks.redis.status == "error" while
  /health stays 200; the gateway stays ready ("degraded": it limits rates in
  process) and keeps proxying; Redis back: /ready is 200 again within 15 s.
- PostgreSQL down: a request that needs the database is a 503 JSON with
  Retry-After, never a 500; PostgreSQL back: it succeeds again.
- SIGTERM: social exits with status 0 within 15 s and logs a JSON line whose
  "msg" says it shut down.
"""

import os
import signal

import requests

from auth_client import Api, admin_password, login_tokens
from support import Process, json_log_lines, process, wait_for


def ready_with_status(proc: Process, status: int):
    """The /ready response when its status code is `status`, else None."""
    try:
        response = proc.get("/ready")
    except requests.RequestException:
        return None
    return response if response.status_code == status else None


def exit_status(proc: Process):
    """The exit status scripts/lib/supervise.sh recorded, or None while running."""
    try:
        return proc.exit_path.read_text().strip() or None
    except FileNotFoundError:
        return None


def test_ready_follows_a_redis_outage(auth: Process, infra):
    assert ready_with_status(auth, 200) is not None, "auth is not ready before the outage"
    infra("stop", "redis")
    try:
        response = wait_for(lambda: ready_with_status(auth, 503), timeout=15)
        assert response is not None, "auth's /ready did not turn 503 within 15 s of Redis stopping"
        checks = response.json().get("checks", {})
        assert checks.get("redis", {}).get("status") == "error", response.text
        assert auth.get("/health").status_code == 200
        gateway = process("gateway")
        ready = gateway.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["redis"]["status"] == "degraded", ready.text
        proxied = gateway.get("/api/invitations/validate/not-a-token")
        assert proxied.status_code == 200 and proxied.json()["valid"] is False, proxied.text
        assert proxied.headers.get("X-RateLimit-Limit"), proxied.headers
    finally:
        infra("start", "redis")
    recovered = wait_for(lambda: ready_with_status(auth, 200), timeout=15)
    assert recovered is not None, "auth's /ready did not return to 200 within 15 s of Redis starting"


def test_a_database_outage_is_a_503_not_a_500(auth: Process, infra):
    with Api(auth.url) as api:
        token = login_tokens(api, "admin", admin_password())["access_token"]
        assert api.get("/api/auth/me", token=token).status_code == 200
        infra("stop", "postgres")
        try:
            response = api.get("/api/auth/me", token=token)
            assert response.status_code == 503, f"{response.status_code} {response.text}"
            assert response.json().get("detail"), response.text
            assert int(response.headers.get("Retry-After", "0")) > 0, response.headers
        finally:
            infra("start", "postgres")
        back = wait_for(lambda: api.get("/api/auth/me", token=token).status_code == 200, timeout=30)
        assert back, "auth did not serve /api/auth/me again within 30 s of PostgreSQL starting"


def test_sigterm_shuts_down_gracefully(social: Process):
    pid = int(social.pid_path.read_text().strip())
    log_offset = social.log_path.stat().st_size
    os.kill(pid, signal.SIGTERM)

    status = wait_for(lambda: exit_status(social), timeout=15)
    assert status is not None, f"social (pid {pid}) did not exit within 15 s of SIGTERM"
    assert status == "0", f"social exited with status {status}"

    messages = [str(entry.get("msg", "")) for entry in json_log_lines(social.log_path, log_offset)]
    assert any("shut down" in m.lower() for m in messages), f"no 'shut down' message after SIGTERM: {messages}"
