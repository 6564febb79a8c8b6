"""What the job sweeper of the media workers (and of `media serve`) recovers (ARCHITECTURE §2 rule 4), with the test
platform's short settings (MEDIA_JOB_REPUBLISH_SECONDS=5, MEDIA_JOB_SWEEP_SECONDS=1):

- a queued job whose message the broker lost (a row with no message) is announced again
  and runs; running a transcode twice is harmless: the video stays completed with one set
  of outputs, made again from its progressive file;
- a job out of attempts whose lease ran out ends `dead` with its error kept, its video
  `failed` with a plain message, and media.video.failed is published.

The rows are written with psql to make the situations; everything else is observed."""

from auth_client import Api
from auth_events import EventListener
from media_client import make_video, psql, video_state, wait_ready, workers_paused
from media_streaming_support import gateway_url
from media_workers_support import files_under, job_rows, temp_job_folders, upload_ok
from support import wait_for


def job_in_state(video_id: str, job_id: str, state: str):
    """The job's row when it is in `state`, else None."""
    row = next(j for j in job_rows(video_id) if j["id"] == job_id)
    return row if row["state"] == state else None


def test_a_job_whose_message_was_lost_is_announced_again_and_runs_harmlessly(owner, tmp_path):
    clip = make_video(tmp_path / "clip.mp4", seconds=2, size="640x360")
    with Api(gateway_url()) as gw:
        video = upload_ok(gw, owner, clip, title="Lost message")
    folder = wait_ready(video)
    before = files_under(folder)
    job_id = psql("SELECT gen_random_uuid()")
    # A queued job nobody was told about, last touched a minute ago: only the sweeper can find it.
    psql(f"INSERT INTO media.jobs (id, video_id, kind, created_at, updated_at) "
         f"VALUES ('{job_id}', '{video['id']}', 'transcode', clock_timestamp() - interval '1 minute', "
         f"clock_timestamp() - interval '1 minute')")

    row = wait_for(lambda: job_in_state(video["id"], job_id, "done"), 60, 0.2)
    assert row, f"the job without a message never ran: {job_rows(video['id'])}"
    assert row["attempts"] == 1
    assert video_state(video["id"])[0] == "completed"
    after = files_under(folder)
    assert sorted(after) == sorted(before), "a second run changed which files the video has"
    assert temp_job_folders(job_id) == []


def test_a_job_out_of_attempts_whose_lease_ran_out_is_dead_and_its_video_failed(owner, tmp_path):
    clip = make_video(tmp_path / "clip.mp4", seconds=2, size="320x240")
    listener = EventListener(["media.video.failed"])
    try:
        with workers_paused():
            with Api(gateway_url()) as gw:
                video = upload_ok(gw, owner, clip, title="Out of attempts")
            # As if three workers had died in turn while running it.
            psql(f"UPDATE media.jobs SET state = 'running', attempts = max_attempts, lease_owner = 'gone/1/x', "
                 f"lease_expires_at = clock_timestamp() - interval '1 second', error = 'ffmpeg exploded' "
                 f"WHERE video_id = '{video['id']}'")

        def dead():
            jobs = job_rows(video["id"])
            return jobs[0] if jobs and jobs[0]["state"] == "dead" else None

        job = wait_for(dead, 30, 0.2)
        assert job, f"the job is not dead: {job_rows(video['id'])}"
        assert job["error"] == "ffmpeg exploded", "the last error was not kept"
        assert job["lease_owner"] is None
        status, _, message = video_state(video["id"])
        assert status == "failed"
        assert message.startswith("Processing failed after 3 attempts"), message
        assert "/" not in message and "ffmpeg" not in message, f"not a plain message: {message!r}"

        def announced():
            listener.drain()
            return [e for e in listener.matching("media.video.failed")
                    if str(e["data"]["video"]["id"]).lower() == video["id"]]

        events = wait_for(announced, 15, 0.2)
        assert events and events[0]["data"]["video"]["processing_status"] == "failed"
    finally:
        listener.close()


def test_a_dead_workers_job_is_announced_again_while_no_worker_runs(owner, tmp_path):
    """`media serve` sweeps too: with every worker stopped (as when an autoscaler on the queue's
    length has scaled them to zero), a running job whose lease ran out (its worker died) is
    queued again and announced, so a worker gets started for it; it then runs to the end."""
    clip = make_video(tmp_path / "clip.mp4", seconds=2, size="320x240")
    listener = EventListener(["media.job.requested"])
    try:
        with workers_paused():
            with Api(gateway_url()) as gw:
                video = upload_ok(gw, owner, clip, title="Worker died, none left")
            job_id = job_rows(video["id"])[0]["id"]
            listener.drain()
            first = len([e for e in listener.matching("media.job.requested")
                         if str(e["data"]["job_id"]).lower() == job_id])
            # As if the only worker had claimed it and died: attempt 1, lease gone a second ago.
            psql(f"UPDATE media.jobs SET state = 'running', attempts = 1, lease_owner = 'gone/1/x', "
                 f"lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = '{job_id}'")

            row = wait_for(lambda: job_in_state(video["id"], job_id, "queued"), 15, 0.2)
            assert row, f"no sweeper requeued the job while the workers were stopped: {job_rows(video['id'])}"
            assert row["lease_owner"] is None and row["error"] == "The worker stopped before finishing."

            def announced():
                listener.drain()
                return len([e for e in listener.matching("media.job.requested")
                            if str(e["data"]["job_id"]).lower() == job_id]) > first

            assert wait_for(announced, 15, 0.2), "the requeued job was not announced again"
        wait_ready(video)
        job = next(j for j in job_rows(video["id"]) if j["id"] == job_id)
        assert job["state"] == "done" and job["attempts"] == 2, job
        assert video_state(video["id"])[0] == "completed"
    finally:
        listener.close()
