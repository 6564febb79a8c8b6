"""Outages of one service process for the end-to-end tests.

- `paused(name)`: SIGSTOP, so the process keeps its port but answers nothing
  (a hung service); SIGCONT afterwards, then waits until /ready is 200.
- `stopped(name)`: SIGTERM and wait for the exit (a service that is down);
  afterwards it is started again the way scripts/lib/services.sh starts it:
  `setsid nohup scripts/lib/supervise.sh <pid file> <exit file> <binary> <args...>`
  with the process's former environment and working directory, output appended
  to its log. So its pid file is right and scripts/test stops it at the end.
"""

import os
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from support import Process, process, wait_for

SUPERVISE = Path(__file__).resolve().parents[2] / "scripts" / "lib" / "supervise.sh"
READY_TIMEOUT = 60
EXIT_TIMEOUT = 25


@dataclass(frozen=True)
class Launch:
    """How a running process was started: argv, environment and working directory."""

    argv: list
    environ: dict
    cwd: str

    @classmethod
    def of(cls, pid: int) -> "Launch":
        proc = Path("/proc") / str(pid)
        argv = [arg.decode() for arg in proc.joinpath("cmdline").read_bytes().split(b"\0") if arg]
        environ = {}
        for item in proc.joinpath("environ").read_bytes().split(b"\0"):
            name, sep, value = item.decode(errors="surrogateescape").partition("=")
            if sep and name:
                environ[name] = value
        return cls(argv, environ, os.readlink(proc / "cwd"))


def current_pid(proc: Process) -> int:
    pid = int(proc.pid_path.read_text().strip())
    assert pid_alive(pid), f"{proc.name} (pid {pid} of {proc.pid_path}) is not running"
    return pid


def pid_alive(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def is_ready(proc: Process) -> bool:
    try:
        return requests.get(proc.url + "/ready", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def wait_ready(proc: Process) -> None:
    assert wait_for(lambda: is_ready(proc), timeout=READY_TIMEOUT), \
        f"{proc.name} did not answer /ready with 200 within {READY_TIMEOUT} s (log: {proc.log_path})"


@contextmanager
def paused(name: str):
    """The process `name` stopped with SIGSTOP inside the block; yields its Process."""
    proc = process(name)
    pid = current_pid(proc)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield proc
    finally:
        os.kill(pid, signal.SIGCONT)
        wait_ready(proc)


@contextmanager
def stopped(name: str):
    """The process `name` terminated inside the block (SIGTERM, exited); started
    again afterwards like scripts/lib/services.sh does; yields its Process."""
    proc = process(name)
    pid = current_pid(proc)
    launch = Launch.of(pid)
    assert launch.argv, f"no command line for pid {pid}"
    os.kill(pid, signal.SIGTERM)
    try:
        exited = wait_for(lambda: not pid_alive(pid) and proc.exit_path.exists(), timeout=EXIT_TIMEOUT)
        assert exited, f"{proc.name} (pid {pid}) did not exit within {EXIT_TIMEOUT} s of SIGTERM"
        yield proc
    finally:
        if not pid_alive(pid):  # never start a second copy next to one that ignored SIGTERM
            start(proc, launch)
        wait_ready(proc)


def start(proc: Process, launch: Launch) -> None:
    """Starts `launch` under supervise.sh with proc's pid, exit and log files."""
    proc.pid_path.unlink(missing_ok=True)
    proc.exit_path.unlink(missing_ok=True)
    with proc.log_path.open("ab") as log:
        # --fork: setsid's own child runs on, detached from pytest like the scripts' `nohup setsid … &`.
        subprocess.run(
            ["setsid", "--fork", "nohup", str(SUPERVISE), str(proc.pid_path), str(proc.exit_path), *launch.argv],
            env=launch.environ, cwd=launch.cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            check=True, timeout=10,
        )
    deadline = time.monotonic() + 10
    while not (proc.pid_path.exists() and proc.pid_path.read_text().strip()):
        assert time.monotonic() < deadline, f"{proc.name} wrote no pid file within 10 s of starting"
        time.sleep(0.1)
