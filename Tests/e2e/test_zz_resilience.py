"""Outages and shutdown; runs last (it stops Redis and the social service).

- Redis down: auth's /ready is 503 with checks.redis.status == "error" while
  /health stays 200; Redis back: /ready is 200 again within 15 s.
- SIGTERM: social exits with status 0 within 15 s and logs a JSON line whose
  "msg" says it shut down.
"""

import os
import signal

import requests

from support import Process, json_log_lines, wait_for


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
    finally:
        infra("start", "redis")
    recovered = wait_for(lambda: ready_with_status(auth, 200), timeout=15)
    assert recovered is not None, "auth's /ready did not return to 200 within 15 s of Redis starting"


def test_sigterm_shuts_down_gracefully(social: Process):
    pid = int(social.pid_path.read_text().strip())
    log_offset = social.log_path.stat().st_size
    os.kill(pid, signal.SIGTERM)

    status = wait_for(lambda: exit_status(social), timeout=15)
    assert status is not None, f"social (pid {pid}) did not exit within 15 s of SIGTERM"
    assert status == "0", f"social exited with status {status}"

    messages = [str(entry.get("msg", "")) for entry in json_log_lines(social.log_path, log_offset)]
    assert any("shut down" in m.lower() for m in messages), f"no 'shut down' message after SIGTERM: {messages}"
