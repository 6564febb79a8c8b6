"""Jobs survive a worker's death (ARCHITECTURE §2 rule 4): the platform runs two workers with
4 s leases swept every second.

- `kill -9` of the worker in the middle of a transcode: its lease runs out, the other
  worker's sweeper puts the job back and the other worker completes it (attempt 2, another
  lease owner); the video's folder holds one set of outputs and temp/jobs nothing of the job.
(SIGTERM, the graceful hand-back, is test_media_workers_shutdown.py.)

The test starts the worker again the way scripts/lib/services.sh does (process_control),
so the tests after it have two workers again.
"""

import os
import signal

import pytest

from auth_client import Api
from media_client import WORKERS, wait_ready
from media_streaming_support import gateway_url
from media_workers_support import (
    light_clip,
    files_under, job_rows, master_variants, owner_pid, temp_job_folders, transcode_job, upload_ok,
    video_row, wait_running,
)
from process_control import Launch, current_pid, pid_alive, start
from process_control import wait_ready as wait_process_ready
from support import process, wait_for


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory):
    """12 s of 1080p: a transcode of several seconds on this machine, so the kill lands mid-way."""
    return light_clip(tmp_path_factory.mktemp("long") / "long1080.mp4", 12, "1920x1080")


def worker_running(pid: int) -> str:
    """The name of the worker whose pid is `pid`."""
    for name in WORKERS:
        if current_pid(process(name)) == pid:
            return name
    raise AssertionError(f"pid {pid} is none of the workers' ({[process(n).pid_path.read_text() for n in WORKERS]})")


def assert_one_set_of_outputs(folder, rungs: list) -> None:
    """The folder holds exactly what one run writes: the rung folders of the ladder, each with
    its playlist, init segment and exactly the segments its playlist names."""
    assert sorted((p.name for p in folder.iterdir() if p.is_dir()), key=lambda n: int(n[:-1])) == rungs
    variants = master_variants((folder / "master.m3u8").read_text())
    assert [uri for _, uri in variants] == [f"{r}/index.m3u8" for r in rungs], variants
    for rung in rungs:
        playlist = (folder / rung / "index.m3u8").read_text()
        named = {line.strip() for line in playlist.splitlines() if line.strip() and not line.startswith("#")}
        named |= {part.split('"')[1] for part in playlist.split("URI=")[1:]}
        present = {p.name for p in (folder / rung).iterdir()}
        assert present == named | {"index.m3u8"}, f"{rung}: files {sorted(present - named)} beyond the playlist's"
    top = {p.name for p in folder.iterdir() if p.is_file()}
    assert top <= {"master.m3u8", "video.mp4", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt"}, top


def test_a_killed_workers_job_is_finished_by_the_other(owner, long_clip):
    with Api(gateway_url()) as gw:
        video = upload_ok(gw, owner, long_clip, title="Survivor")
    job = wait_running(video["id"], timeout=60, progress=True)
    assert job["attempts"] == 1, job
    first_owner = job["lease_owner"]
    pid = owner_pid(first_owner)
    name = worker_running(pid)
    launch = Launch.of(pid)
    survivor = next(n for n in WORKERS if n != name)
    survivor_pid = current_pid(process(survivor))
    try:
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: not pid_alive(pid), 10), f"{name} (pid {pid}) survived SIGKILL"

        def second_attempt():
            jobs = [j for j in job_rows(video["id"]) if j["kind"] == "transcode"]
            return jobs and jobs[0]["attempts"] == 2 and jobs[0]["state"] == "running" and jobs[0]

        taken = wait_for(second_attempt, 30, 0.1)
        assert taken, f"the job was not taken over within 30 s: {job_rows(video['id'])}"
        assert taken["lease_owner"] != first_owner and owner_pid(taken["lease_owner"]) == survivor_pid, \
            (first_owner, taken["lease_owner"], survivor_pid)
        folder = wait_ready(video, timeout=240)
    finally:
        if not pid_alive(pid):
            start(process(name), launch)
        wait_process_ready(process(name))

    done = transcode_job(video["id"])
    assert done["state"] == "done" and done["attempts"] == 2, done
    # The row keeps the first attempt's interruption as its last error (a note, not a failure).
    assert done["error"] in (None, "The worker stopped before finishing."), done
    assert_one_set_of_outputs(folder, ["360p", "480p", "720p", "1080p"])
    row = video_row(video["id"])
    assert row["processing_status"] == "completed" and row["file_size_bytes"] == sum(files_under(folder).values())
    assert row["duration_seconds"] in (11, 12), row
    assert wait_for(lambda: temp_job_folders(done["id"]) == [], 10), \
        f"work folders of the job left in temp/jobs: {temp_job_folders(done['id'])}"
    # The restarted worker takes work again.
    assert pid_alive(current_pid(process(name)))

