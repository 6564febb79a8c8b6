"""The measuring parts of bench/transcode/run: the worker's ffmpeg command out of its log, that
command and one ffmpeg process per rung run by hand, CPU seconds from /proc, the ladder of a
master playlist, and upload-to-ready through the gateway.

    transcode.py command LOG OFFSET
        prints, as one JSON object {"argv": [...], "directory": "...", "count": N}, the last
        "Running ffmpeg" line the worker logged (LOG_FORMAT=json, LOG_LEVEL=debug) after byte
        OFFSET of LOG: its metadata "ffmpeg.arguments" (a JSON array, as a string, of the whole
        command line, prlimit's part first when memory is limited) and "ffmpeg.directory" (the
        work folder it ran in); N is how many such lines there were (more than one: a retry or
        a fallback ran).  Exits 1 with a message when there is none.
    transcode.py bare COMMAND_JSON INPUT SCRATCH
        runs the command of `command`'s JSON (file COMMAND_JSON) with cwd = SCRATCH (an empty
        folder), its input (the value after -i, `file:<upload>`) replaced by `file:INPUT`, with
        MALLOC_ARENA_MAX=2 as the worker sets it under prlimit; prints wall= user= sys= (the
        process's own rusage from wait4: prlimit execs ffmpeg, so it is ffmpeg's).
    transcode.py rungs COMMAND_JSON INPUT SCRATCH
        derives from the same command one ffmpeg process per rung (see rung_commands), runs
        them all at once in SCRATCH, and prints one line per process (rung= wall= user= sys=)
        then wall= user= sys= of the whole (wall: first start to last end; CPU: the sum).
    transcode.py show COMMAND_JSON INPUT
        prints the per-rung command lines, shell-quoted, without running them.
    transcode.py cpu PID
        prints utime+stime+cutime+cstime of PID (/proc/PID/stat) in seconds, then the process's
        own part (utime+stime) and its reaped children's (cutime+cstime): "total own children".
    transcode.py ladder MASTER
        prints one line per variant of HLS master playlist MASTER: "WxH BANDWIDTH URI".
    transcode.py ready BASE TOKEN FILE TITLE INTERVAL TIMEOUT
        uploads FILE as multipart (POST BASE/api/videos/upload, 201) with bearer TOKEN, then asks
        GET BASE/api/videos/{short_id}/stream-info every INTERVAL seconds until it says ready;
        prints "seconds=<from the start of the upload to the first ready answer> upload=<seconds
        of the upload request> id=<video id> short_id=<short id> polls=<n>".  Exits 1 with a
        message when the upload fails, the video fails or TIMEOUT seconds pass.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import time

import requests


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


# --- the worker's command -------------------------------------------------------------------


def command_from_log(log: str, offset: int) -> dict:
    found = []
    with open(log, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict) and line.get("msg") == "Running ffmpeg":
                found.append(line)
    if not found:
        fail(
            f'no "Running ffmpeg" line in {log} (after byte {offset}): the worker must log its ffmpeg '
            'command at debug level, with metadata "ffmpeg.arguments" and "ffmpeg.directory"'
        )
    last = found[-1]
    arguments, directory = last.get("ffmpeg.arguments"), last.get("ffmpeg.directory")
    if not isinstance(arguments, str) or not isinstance(directory, str):
        fail(f'the "Running ffmpeg" line lacks "ffmpeg.arguments" or "ffmpeg.directory": {json.dumps(last)[:500]}')
    try:
        argv = json.loads(arguments)
    except ValueError:
        fail(f'"ffmpeg.arguments" is not a JSON array: {arguments[:300]}')
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        fail(f'"ffmpeg.arguments" is not a JSON array of strings: {arguments[:300]}')
    return {"argv": argv, "directory": directory, "count": len(found)}


def load_command(path: str) -> list:
    with open(path) as handle:
        return json.load(handle)["argv"]


def split_prefix(argv: list) -> tuple:
    """(prefix, ffmpeg, arguments): prefix is `prlimit --as=N --` or empty."""
    for index, arg in enumerate(argv):
        if os.path.basename(arg) == "ffmpeg" or os.path.basename(arg).startswith("ffmpeg"):
            if index == 0 or argv[index - 1] == "--":
                return argv[:index], arg, argv[index + 1 :]
    fail(f"no ffmpeg executable in the command: {argv[:6]}")


def with_input(argv: list, path: str) -> list:
    """The command with the value after its one -i replaced by file:PATH."""
    positions = [i for i, a in enumerate(argv) if a == "-i"]
    if len(positions) != 1 or positions[0] + 1 >= len(argv):
        fail(f"the command has {len(positions)} -i options, not one")
    argv = list(argv)
    argv[positions[0] + 1] = "file:" + os.path.abspath(path)
    return argv


def run_environment() -> dict:
    env = dict(os.environ)
    env["MALLOC_ARENA_MAX"] = "2"
    return env


class Run:
    def __init__(self, name: str, argv: list, cwd: str, log: str):
        self.name = name
        self.argv = argv
        self.log = log
        self.error = open(log, "wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.error,
            env=run_environment(),
        )
        self.ended = None
        self.usage = None
        self.status = None


def wait_all(runs: list) -> None:
    """Reaps every run with wait4, so each one's rusage is its own."""
    pending = {run.process.pid: run for run in runs}
    while pending:
        pid, status, usage = os.wait4(-1, 0)
        run = pending.pop(pid, None)
        if run is None:
            continue
        run.ended = time.monotonic()
        run.usage = usage
        run.status = os.waitstatus_to_exitcode(status)
        run.process.returncode = run.status
        run.error.close()


def check(run: Run) -> None:
    if run.status != 0:
        with open(run.log, errors="replace") as handle:
            tail = handle.read()[-1500:]
        fail(f"{run.name}: ffmpeg ended with status {run.status}: {tail}\ncommand: {shlex.join(run.argv)}")


def bare(command: str, source: str, scratch: str) -> None:
    argv = with_input(load_command(command), source)
    os.makedirs(scratch, exist_ok=True)
    if os.listdir(scratch):
        fail(f"{scratch} is not empty")
    run = Run("bare", argv, scratch, os.path.join(scratch, "..", "bare-ffmpeg.err"))
    wait_all([run])
    check(run)
    print(f"wall={run.ended - run.started:.3f} user={run.usage.ru_utime:.3f} sys={run.usage.ru_stime:.3f}")


# --- one process per rung -------------------------------------------------------------------


def option(arguments: list, name: str):
    """The value after the first `name`, or None."""
    for index, arg in enumerate(arguments[:-1]):
        if arg == name:
            return arguments[index + 1]
    return None


def rung_commands(argv: list, source: str) -> list:
    """[(rung name, argv)]: the worker's command cut into one ffmpeg process per rung.

    Each keeps the worker's prlimit prefix, global and input options (less
    -filter_complex_threads), decodes the source itself, and encodes one rung with the chain
    the worker's filter graph gives that rung (scale=W:H,setsar=1,format=yuv420p), the shared
    video encoder options (-c:v ... -force_key_frames ...), the rung's -maxrate/-bufsize, the
    worker's audio options and output -threads, into HLS with the worker's HLS options
    (hls_time, playlist type, fMP4 segments, independent segments, init.mp4) in the rung's
    folder: <name>/index.m3u8, <name>/seg_%05d.m4s.  No poster, storyboard or video.mp4.
    """
    prefix, ffmpeg, arguments = split_prefix(with_input(argv, source))
    try:
        graph_at = arguments.index("-filter_complex")
    except ValueError:
        fail("the command has no -filter_complex")
    head, graph = [], arguments[graph_at + 1]
    skip = False
    for index, arg in enumerate(arguments[:graph_at]):
        if skip:
            skip = False
            continue
        if arg == "-filter_complex_threads":
            skip = True
            continue
        head.append(arg)
    chains = {int(m.group(1)): m.group(2) for m in re.finditer(r"\[r(\d+)\]([^;\[]+)\[v\1\]", graph)}
    if not chains:
        fail(f"no rung chains ([rN]...[vN]) in the filter graph: {graph}")
    rest = arguments[graph_at + 2 :]
    has_audio = "0:a:0" in rest
    try:
        codec_at = rest.index("-c:v")
    except ValueError:
        fail("the command has no -c:v")
    encoder = []
    for arg in rest[codec_at:]:
        if arg.startswith("-maxrate") or arg.startswith("-bufsize") or arg in ("-c:a", "-flags", "-f", "-threads"):
            break
        encoder.append(arg)
    audio = []
    if has_audio:
        audio = ["-c:a", option(rest, "-c:a") or "aac"]
        for name in ("-b:a", "-ac"):
            value = option(rest, name)
            if value is not None:
                audio += [name, value]
    # -threads after the outputs' options (the encoders'), when the worker sets it.
    output_threads = []
    tee_at = rest.index("-f") if "-f" in rest else len(rest)
    for index in range(codec_at, tee_at - 1):
        if rest[index] == "-threads":
            output_threads = ["-threads", rest[index + 1]]
    tee = next((a for a in rest if "f=hls" in a), None)
    if tee is None:
        fail("the command has no HLS output (f=hls in the tee muxer's slaves): is the output format hls?")
    names = dict((int(m.group(1)), m.group(2)) for m in re.finditer(r"v:(\d+)(?:,a:\d+)?,name:([A-Za-z0-9_]+)", tee))

    def hls(key: str, default: str) -> str:
        match = re.search(r"(?:^|[\[:])" + key + r"=([^:\]|]+)", tee)
        return match.group(1) if match else default

    commands = []
    for index in sorted(chains):
        maxrate, bufsize = option(rest, f"-maxrate:v:{index}"), option(rest, f"-bufsize:v:{index}")
        if maxrate is None or bufsize is None:
            fail(f"rung {index} has no -maxrate:v:{index} / -bufsize:v:{index}")
        name = names.get(index, f"r{index}")
        maps = ["-map", "0:v:0"] + (["-map", "0:a:0"] if has_audio else [])
        command = prefix + [ffmpeg] + head + maps + ["-map_metadata", "-1", "-map_chapters", "-1", "-vf", chains[index]]
        command += encoder + ["-maxrate", maxrate, "-bufsize", bufsize] + audio + output_threads
        command += [
            "-f", "hls", "-hls_time", hls("hls_time", "6"), "-hls_playlist_type", hls("hls_playlist_type", "vod"),
            "-hls_segment_type", hls("hls_segment_type", "fmp4"), "-hls_flags", hls("hls_flags", "independent_segments"),
            "-hls_fmp4_init_filename", hls("hls_fmp4_init_filename", "init.mp4"),
            "-hls_segment_filename", f"{name}/seg_%05d.m4s", f"{name}/index.m3u8",
        ]
        commands.append((name, command))
    return commands


def rungs(command: str, source: str, scratch: str) -> None:
    commands = rung_commands(load_command(command), source)
    os.makedirs(scratch, exist_ok=True)
    if os.listdir(scratch):
        fail(f"{scratch} is not empty")
    for name, _ in commands:
        os.makedirs(os.path.join(scratch, name))
    runs = [Run(name, argv, scratch, os.path.join(scratch, "..", f"rung-{name}-ffmpeg.err")) for name, argv in commands]
    wait_all(runs)
    for run in runs:
        check(run)
        if not os.path.exists(os.path.join(scratch, run.name, "index.m3u8")):
            fail(f"rung {run.name}: no {run.name}/index.m3u8 was written")
    for run in runs:
        print(
            f"rung={run.name} wall={run.ended - run.started:.3f} user={run.usage.ru_utime:.3f} "
            f"sys={run.usage.ru_stime:.3f}"
        )
    wall = max(r.ended for r in runs) - min(r.started for r in runs)
    print(
        f"wall={wall:.3f} user={sum(r.usage.ru_utime for r in runs):.3f} "
        f"sys={sum(r.usage.ru_stime for r in runs):.3f}"
    )


def show(command: str, source: str) -> None:
    for name, argv in rung_commands(load_command(command), source):
        print(f"{name}: {shlex.join(argv)}")


# --- /proc, playlists -----------------------------------------------------------------------


def cpu(pid: str) -> None:
    with open(f"/proc/{pid}/stat") as handle:
        stat = handle.read()
    # The command name is in parentheses and may hold spaces: the fields start after its ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    # After the name: state(3) ... utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5).
    utime, stime, cutime, cstime = (int(fields[i - 3]) for i in (14, 15, 16, 17))
    tick = os.sysconf("SC_CLK_TCK")
    own, children = (utime + stime) / tick, (cutime + cstime) / tick
    print(f"{own + children:.2f} {own:.2f} {children:.2f}")


def ladder(master: str) -> None:
    with open(master) as handle:
        lines = [line.strip() for line in handle]
    count = 0
    for index, line in enumerate(lines):
        if not line.startswith("#EXT-X-STREAM-INF:"):
            continue
        attributes = dict(re.findall(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)', line[len("#EXT-X-STREAM-INF:") :]))
        uri = next((l for l in lines[index + 1 :] if l and not l.startswith("#")), "")
        print(f"{attributes.get('RESOLUTION', '?')} {attributes.get('BANDWIDTH', '?')} {uri}")
        count += 1
    if count == 0:
        fail(f"{master} has no #EXT-X-STREAM-INF variant")


# --- upload to ready ------------------------------------------------------------------------


def ready(base: str, token: str, path: str, title: str, interval: float, timeout: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.Session()
    with open(path, "rb") as handle:
        content = handle.read()
    started = time.monotonic()
    answer = session.post(
        f"{base}/api/videos/upload", headers=headers, files={"file": (os.path.basename(path), content, "video/mp4")},
        data={"title": title}, timeout=600,
    )
    uploaded = time.monotonic()
    if answer.status_code != 201:
        fail(f"POST {base}/api/videos/upload answered {answer.status_code}, not 201: {answer.text[:300]}")
    video = answer.json()
    short_id, video_id = video.get("short_id"), video.get("id")
    if not short_id or not video_id:
        fail(f"the upload's answer has no id/short_id: {answer.text[:300]}")
    url = f"{base}/api/videos/{short_id}/stream-info"
    polls = 0
    deadline = started + timeout
    next_poll = time.monotonic()
    while True:
        polls += 1
        info = session.get(url, headers=headers, timeout=30)
        now = time.monotonic()
        if info.status_code != 200:
            fail(f"GET {url} answered {info.status_code}: {info.text[:300]}")
        state = info.json()
        if state.get("ready") is True:
            break
        if state.get("processing_status") == "failed":
            fail(f"video {short_id} failed: {state.get('error_message')}")
        if now > deadline:
            fail(f"video {short_id} not ready after {timeout:.0f} s (last answer: {info.text[:300]})")
        next_poll += interval
        time.sleep(max(0.0, next_poll - time.monotonic()))
    print(
        f"seconds={now - started:.3f} upload={uploaded - started:.3f} id={video_id} short_id={short_id} polls={polls}"
    )


def main() -> None:
    args = sys.argv[1:]
    commands = {
        "command": (2, lambda a: print(json.dumps(command_from_log(a[0], int(a[1]))))),
        "bare": (3, lambda a: bare(*a)),
        "rungs": (3, lambda a: rungs(*a)),
        "show": (2, lambda a: show(*a)),
        "cpu": (1, lambda a: cpu(a[0])),
        "ladder": (1, lambda a: ladder(a[0])),
        "ready": (6, lambda a: ready(a[0], a[1], a[2], a[3], float(a[4]), float(a[5]))),
    }
    if not args or args[0] not in commands or len(args) - 1 != commands[args[0]][0]:
        fail("usage: see the docstring of bench/transcode/transcode.py")
    commands[args[0]][1](args[1:])


if __name__ == "__main__":
    main()
