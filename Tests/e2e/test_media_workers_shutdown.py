"""A media worker's graceful shutdown (ARCHITECTURE §2 rule 4): on SIGTERM it stops taking
messages, lets its running job go on for MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS (3 in the test
platform) and then hands it back: the job is queued again without the attempt counting, and
announced, so the other worker finishes it. The worker exits 0, well before the supervisor's
patience runs out, and its ffmpeg does not outlive it."""

import json
import os
import time

from auth_client import Api
from media_client import wait_ready
from media_streaming_support import gateway_url
from media_workers_support import files_under, job_rows, light_clip, owner_pid, temp_job_folders, upload_ok, wait_running
from process_control import current_pid, pid_alive, stopped
from support import process, wait_for

WORKERS = ("media-worker-1", "media-worker-2")


def worker_named(pid: int) -> str:
    """The name of the worker whose process is `pid`."""
    names = [name for name in WORKERS if current_pid(process(name)) == pid]
    assert names, f"pid {pid} is none of the workers"
    return names[0]


def ffmpeg_children(pid: int) -> list:
    """The pids of the ffmpeg processes whose parent is `pid`."""
    found = []
    for entry in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            stat = open(f"/proc/{entry}/stat").read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and comm in ("ffmpeg", "prlimit"):
            found.append(int(entry))
    return found


def log_lines(name: str, message: str) -> list:
    path = process(name).log_path
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("msg") == message:
            lines.append(record)
    return lines


def test_sigterm_hands_the_running_job_back_and_the_other_worker_finishes_it(owner, tmp_path):
    clip = light_clip(tmp_path / "long1080.mp4", seconds=12, size="1920x1080")
    with Api(gateway_url()) as gw:
        video = upload_ok(gw, owner, clip, title="Handed back")
    job = wait_running(video["id"], timeout=60, progress=True)
    assert job["attempts"] == 1
    first_pid = owner_pid(job["lease_owner"])
    name = worker_named(first_pid)
    children = ffmpeg_children(first_pid)
    assert children, f"no ffmpeg under worker {name} (pid {first_pid}) while it runs job {job['id']}"

    started = time.monotonic()
    with stopped(name) as proc:
        took = time.monotonic() - started
        # The grace period is 3 s; the job (12 s of 1080p, ~20 s of work) cannot end in it: handed back.
        assert proc.exit_path.read_text().strip() == "0", f"{name} exited with {proc.exit_path.read_text()!r}"
        assert took < 15, f"{name} took {took:.1f} s to stop"
        assert not [pid for pid in children if pid_alive(pid)], "ffmpeg outlived its worker"
        handed = [r for r in log_lines(name, "shutting down: job handed back to the queue") if r.get("job.id", "").lower() == job["id"]]
        assert handed, f"{name} did not log handing job {job['id']} back"
        # The other worker takes it at once (the hand-back is announced), as its first attempt.
        def retaken():
            row = next(j for j in job_rows(video["id"]) if j["id"] == job["id"])
            moved = row["state"] == "running" and owner_pid(row["lease_owner"]) != first_pid
            return row if moved or row["state"] == "done" else None

        retaken = wait_for(retaken, 20, 0.1)
        assert retaken, f"nobody took the handed-back job: {job_rows(video['id'])}"
    folder = wait_ready({"id": video["id"]}, timeout=240)
    final = [j for j in job_rows(video["id"]) if j["id"] == job["id"]][0]
    assert final["state"] == "done"
    assert final["attempts"] == 1, f"the handed-back attempt counted: {final}"
    assert sorted(p for p in files_under(folder) if p.endswith("master.m3u8")) == ["master.m3u8"]
    assert temp_job_folders(job["id"]) == []
