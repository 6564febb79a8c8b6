"""Helpers of the end-to-end tests: the processes under test, their logs and
the command that controls the servers (see conftest.py for the environment)."""

import json
import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

# Dependencies whose /ready check each process must report as ok.
EXPECTED_CHECKS = {
    "gateway": {"redis"},
    "auth": {"postgres", "redis", "rabbitmq"},
    "media": {"postgres", "redis", "rabbitmq"},
    "social": {"postgres", "redis", "rabbitmq"},
    "notify": {"postgres", "redis", "rabbitmq"},
    "media-worker-1": {"postgres", "rabbitmq", "ffmpeg", "media_root"},
    "media-worker-2": {"postgres", "rabbitmq", "ffmpeg", "media_root"},
}

TIMEOUT = 10


def required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        pytest.fail(f"{name} is not set: run the end-to-end tests through scripts/test")
    return value


@dataclass(frozen=True)
class Process:
    """One running Clipset process."""

    name: str
    url: str
    state_dir: Path

    @property
    def log_path(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    @property
    def pid_path(self) -> Path:
        return self.state_dir / "run" / f"{self.name}.pid"

    @property
    def exit_path(self) -> Path:
        return self.state_dir / "run" / f"{self.name}.exit"

    @property
    def expected_checks(self) -> set:
        return EXPECTED_CHECKS[self.name]

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=TIMEOUT, **kwargs)


def process(name: str) -> Process:
    """The process called `name`, from CLIPSET_E2E_<NAME>_URL and CLIPSET_E2E_STATE_DIR."""
    var = "CLIPSET_E2E_" + name.upper().replace("-", "_") + "_URL"
    return Process(name, required_env(var).rstrip("/"), Path(required_env("CLIPSET_E2E_STATE_DIR")))


def run_infra(action: str, server: str) -> None:
    """Runs `$CLIPSET_TEST_INFRA <action> <server>`; returns once it is done."""
    command = f"{required_env('CLIPSET_TEST_INFRA')} {shlex.quote(action)} {shlex.quote(server)}"
    subprocess.run(["/bin/bash", "-c", command], check=True, timeout=180)


def json_log_lines(path: Path, start: int = 0) -> list:
    """The JSON objects of a log file from byte offset `start`, skipping other lines."""
    if not path.exists():
        return []
    with path.open("rb") as f:
        f.seek(start)
        data = f.read().decode("utf-8", errors="replace")
    entries = []
    for line in data.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def field(entry: dict, dotted: str):
    """A field of a log entry by dotted name, flat ("request.id") or nested
    ({"request": {"id": ...}}), at the top level or inside a nested object
    such as "metadata"; None when absent."""
    if dotted in entry:
        return entry[dotted]
    head, _, rest = dotted.partition(".")
    if rest and isinstance(entry.get(head), dict):
        value = field(entry[head], rest)
        if value is not None:
            return value
    for value in entry.values():
        if isinstance(value, dict):
            found = field(value, dotted)
            if found is not None:
                return found
    return None


def wait_for(predicate, timeout: float, interval: float = 0.25):
    """Polls predicate until it returns something other than None or False, or
    timeout seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if (value is not None and value is not False) or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
