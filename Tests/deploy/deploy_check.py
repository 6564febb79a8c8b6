#!/usr/bin/env python3
"""Checks the deployment files offline: Dockerfile, compose/, k8s/, docs/operations.md.

    python3 Tests/deploy/deploy_check.py [--only NAME[,NAME...]] [--list] [--k8s-version 1.30.0]

`scripts/test` runs it as its `deploy` phase. Each check prints `ok` with what it covered,
or `FAIL` with one line per problem naming the file, object and field; the exit status is
1 when any check failed. Nothing is pulled or started outside this machine: compose files
are resolved by docker-compose (`config`), Kubernetes objects are rendered by
Tests/deploy/kustomize.py (and compared with `kubectl kustomize` when a kubectl is
installed) and validated by kubernetes-validate --strict (built-in kinds) and
Tests/deploy/crd_schemas.py (KEDA, CloudNativePG, RabbitMQ Cluster Operator); the nginx
configuration runs in Debian's nginx on 127.0.0.1 against signed URLs made the way the
media service makes them; the PostgreSQL bootstrap SQL runs in a throw-away cluster.

Facts are read from the code where they live: products and target dependencies from
Package.swift, linked C libraries from Shared/*/module.modulemap (and from the built
executables when .build/debug has them), settings from the `forKey:` keys of Services/ and
Shared/, metrics from their Counter/Gauge/Timer/Recorder labels.
"""

from __future__ import annotations

import argparse
import base64
import functools
import glob
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import crd_schemas  # noqa: E402
import kustomize  # noqa: E402

OVERLAYS = ("dev", "production")
SERVERS = ("postgres", "redis", "rabbitmq")
# Processes and their HTTP ports (README's service map).
PORTS = {"gateway": 8080, "auth": 8081, "media": 8082, "social": 8083, "notify": 8084, "media-worker": 8085}
# Modules whose code runs the ffmpeg command line (Subprocess): the image needs the ffmpeg package.
FFMPEG_CLI_MODULES = {"Images", "Transcoding"}
# Packages of the runtime base image (swift:*-bookworm-slim is debian:12 plus these).
# (The slim image also has libcurl4, but notify's stage installs it itself: it must not depend on that.)
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "libbz2-1.0", "liblzma5"}
# compose defaults that differ from the service's own on purpose.
DELIBERATE_DEFAULTS = {
    "PUBLIC_URL": "nginx answers on port 80",
    "INITIAL_ADMIN_EMAIL": "the same as scripts/clipset up",
    "SMTP_URL": "Mailpit catches the emails",
}
# Names of environment variables that hold secrets.
SECRET_ENV = re.compile(r"(PASSWORD|SECRET|PRIVATE_KEYS|SIGNING_KEYS?|TOKEN|SMTP_URL)$")


class Failure(Exception):
    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("; ".join(self.problems))


def path(*parts: str) -> str:
    return os.path.join(ROOT, *parts)


def read(*parts: str) -> str:
    with open(path(*parts), encoding="utf-8") as f:
        return f.read()


def rel(p: str) -> str:
    return os.path.relpath(p, ROOT)


# ---------------------------------------------------------------------------------------------
# Facts from the code


def manifest() -> str:
    return read("Package.swift")


def products() -> list[str]:
    """Executable products of Package.swift."""
    text = manifest()
    names = re.findall(r'\.executable\(\s*name:\s*"([\w-]+)"', text)
    if re.search(r"products:\s*services\.map", text):
        match = re.search(r"let services\s*=\s*\[([^\]]*)\]", text)
        if not match:
            raise Failure("Package.swift: `products: services.map` but no `let services = [...]` found")
        names += re.findall(r'"([\w-]+)"', match.group(1))
    if not names:
        raise Failure("Package.swift: no executable product found")
    return sorted(set(names))


def target_graph() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Target -> quoted target dependencies; product -> its target (from the service() helper)."""
    text = manifest()
    graph: dict[str, set[str]] = {}
    product_target: dict[str, str] = {}
    for helper, name, deps in re.findall(r'\b(shared|service|tests)\(\s*"(\w+)",\s*dependencies:\s*\[(.*?)\]', text, re.S):
        target = name[0].upper() + name[1:] if helper == "service" else name
        graph[target] = set(re.findall(r'"(\w+)"', deps))
        if helper == "service":
            product_target[name] = target
    for name, body in re.findall(r'\.(?:executableTarget|target|testTarget)\(\s*name:\s*"(\w+)",(.*?)\n\s*\)', text, re.S):
        deps = re.search(r"dependencies:\s*\[(.*?)\]", body, re.S)
        graph.setdefault(name, set(re.findall(r'"(\w+)"', deps.group(1)) if deps else set()))
    for name in re.findall(r'\.systemLibrary\(\s*name:\s*"(\w+)"', text):
        graph.setdefault(name, set())
    return graph, product_target


def closure(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo += graph.get(node, set())
    return seen


def system_libraries() -> dict[str, list[str]]:
    """systemLibrary target -> the libraries its module.modulemap links."""
    text = manifest()
    libs = {}
    for name, target_path in re.findall(r'\.systemLibrary\(\s*name:\s*"(\w+)",\s*path:\s*"([^"]+)"', text):
        modulemap = path(target_path, "module.modulemap")
        libs[name] = re.findall(r'link\s+"([\w.+-]+)"', open(modulemap, encoding="utf-8").read())
    return libs


@functools.lru_cache(maxsize=None)
def dpkg_owner(file: str) -> str | None:
    result = subprocess.run(["dpkg", "-S", os.path.realpath(file)], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return result.stdout.split(":", 1)[0].strip()


def runtime_package_of_link(lib: str) -> str:
    """The Debian package with the shared library that `-l<lib>` resolves to at run time."""
    for candidate in glob.glob(f"/usr/lib/*/lib{lib}.so") + glob.glob(f"/usr/lib/lib{lib}.so"):
        real = os.path.realpath(candidate)  # lib<x>.so -> lib<x>.so.<soname...> of the runtime package
        owner = dpkg_owner(real)
        if owner:
            return owner
    raise Failure(f"cannot tell which Debian package ships lib{lib}.so (is its -dev package installed?)")


def swift_settings() -> dict[str, str | None]:
    """Environment variables the services read -> their default in the code (None: none/computed)."""
    settings: dict[str, str | None] = {}
    pattern = re.compile(r'forKey:\s*"([a-z0-9.]+)"(?:,\s*isSecret:\s*\w+)?(?:,\s*default:\s*("(?:[^"\\]|\\.)*"|[\w.]+))?')
    for file in glob.glob(path("Services", "**", "*.swift"), recursive=True) + glob.glob(path("Shared", "**", "*.swift"), recursive=True):
        for key, default in pattern.findall(open(file, encoding="utf-8").read()):
            env = key.replace(".", "_").upper()
            value = None
            if default.startswith('"'):
                value = default[1:-1]
            elif re.fullmatch(r"[0-9_]+", default or ""):
                value = default.replace("_", "")
            if env in settings and settings[env] != value:
                value = None  # two defaults in the code: no single one to compare with
            settings[env] = value
    upstream = read("Services", "gateway", "Routing", "Upstream.swift")
    for case in re.search(r"case\s+([\w, ]+)\n", upstream).group(1).split(","):
        settings[f"{case.strip().upper()}_URL"] = None
    return settings


def schema_products() -> list[str]:
    """Products that own a schema (a Migrations folder): the ones with a `migrate` to run first."""
    return sorted(p for p in products() if os.path.isdir(path("Services", p, "Migrations")))


def metric_names() -> set[str]:
    names = set()
    for file in glob.glob(path("Services", "**", "*.swift"), recursive=True) + glob.glob(path("Shared", "**", "*.swift"), recursive=True):
        text = open(file, encoding="utf-8").read()
        # The label may be a conditional expression: every string literal in it is a metric.
        for label in re.findall(r"\b(?:Counter|FloatingPointCounter|Gauge|Timer|Recorder|Meter)\(\s*label:\s*(.+?)(?:,\s*dimensions:|,\s*preferredDisplayUnit:|\))",
                                text, re.S):
            names |= set(re.findall(r'"([a-z_:]+)"', label))
    return names


def build_dir() -> str | None:
    for candidate in (os.environ.get("CLIPSET_TEST_BUILD_DIR"), path(".build", "debug"), path(".build", "release")):
        if candidate and all(os.path.isfile(os.path.join(candidate, p)) for p in products()):
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# Dockerfile


@dataclass
class Stage:
    name: str
    base: str
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines)


def dockerfile_stages() -> tuple[dict[str, Stage], dict[str, str]]:
    text = read("Dockerfile").replace("\\\n", " ")
    stages: dict[str, Stage] = {}
    global_args: dict[str, str] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word = line.split()[0].upper()
        if word == "FROM":
            match = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
            current = Stage((match.group(2) or f"#{len(stages)}").lower(), match.group(1))
            stages[current.name] = current
        elif current is None and word == "ARG":
            name, _, value = line.split(None, 1)[1].partition("=")
            global_args[name] = value
        elif current is not None:
            current.lines.append(line)
    return stages, global_args


def apt_packages(stage_text: str) -> set[str]:
    packages = set()
    for command in re.findall(r"apt-get\s+(?:-\w+\s+)*install\s+([^&;|]+)", stage_text):
        packages |= {w for w in command.split() if not w.startswith("-")}
    return packages


def check_dockerfile() -> str:
    problems = []
    names = products()
    stages, global_args = dockerfile_stages()
    runtime_stages = {s.name: s for s in stages.values() if s.base == "runtime"}
    for name in runtime_stages:
        if name not in names:
            problems.append(f"Dockerfile: stage `{name}` (FROM runtime) names no product of Package.swift ({', '.join(names)})")
    for name in names:
        if name not in runtime_stages:
            problems.append(f"Dockerfile: product `{name}` of Package.swift has no image stage (`FROM runtime AS {name}`)")
    for name, stage in runtime_stages.items():
        entry = re.search(r"^ENTRYPOINT\s+(\[.*\])$", stage.text(), re.M)
        if not entry:
            problems.append(f"Dockerfile: stage `{name}` has no exec-form ENTRYPOINT")
            continue
        argv = json.loads(entry.group(1))
        if argv[:2] != ["/usr/bin/tini", "--"] or argv[2:] != [f"/app/bin/{name}"]:
            problems.append(f"Dockerfile: stage `{name}` ENTRYPOINT {argv} must be [\"/usr/bin/tini\", \"--\", \"/app/bin/{name}\"]"
                            " (tini passes SIGTERM on and reaps orphans)")
        if not re.search(r"^COPY --from=build /staging/bin/ /app/bin/$", stage.text(), re.M):
            problems.append(f"Dockerfile: stage `{name}` does not copy the built executable (COPY --from=build /staging/bin/ /app/bin/)")
        port = re.search(r"HTTP_PORT=(\d+)", stage.text())
        expected = PORTS.get(name)
        if expected and (not port or int(port.group(1)) != expected):
            problems.append(f"Dockerfile: stage `{name}` must set HTTP_PORT={expected} (README's port)")
    default = global_args.get("SERVICE")
    if default not in names:
        problems.append(f"Dockerfile: ARG SERVICE={default} is not a product of Package.swift")
    last = list(stages.values())[-1]
    if last.base != "${SERVICE}":
        problems.append("Dockerfile: the last stage must be `FROM ${SERVICE}`, so --build-arg SERVICE picks the image")
    build = stages.get("build")
    if not build:
        problems.append("Dockerfile: no `build` stage")
    else:
        case = re.search(r'case "\$\{SERVICE\}" in ([\w|]+)\)', build.text())
        listed = sorted(case.group(1).split("|")) if case else []
        if listed != names:
            problems.append(f"Dockerfile: the build stage accepts SERVICE in {listed}, Package.swift has {names}")
        if "swift build -c release --product \"${SERVICE}\"" not in build.text():
            problems.append("Dockerfile: the build stage must `swift build -c release --product \"${SERVICE}\"`")
        if not build.base.startswith("swift:${SWIFT_VERSION}-bookworm"):
            problems.append(f"Dockerfile: build stage base {build.base} is not swift:<version>-bookworm")
    runtime = stages.get("runtime")
    if not runtime:
        raise Failure(problems + ["Dockerfile: no `runtime` stage"])
    if not runtime.base.startswith("swift:${SWIFT_VERSION}-bookworm-slim"):
        problems.append(f"Dockerfile: runtime stage base {runtime.base} is not swift:<version>-bookworm-slim")
    if not re.search(r"^USER 10001:10001$", runtime.text(), re.M):
        problems.append("Dockerfile: the runtime stage must end as USER 10001:10001 (non-root)")
    for name, stage in runtime_stages.items():
        users = re.findall(r"^USER (\S+)$", stage.text(), re.M)
        if users and users[-1] != "10001:10001":
            problems.append(f"Dockerfile: stage `{name}` ends as USER {users[-1]}, not 10001:10001")
    if not re.search(r"^HEALTHCHECK .*CMD \[\"/usr/local/bin/clipset-healthcheck\"\]", runtime.text(), re.M):
        problems.append("Dockerfile: the runtime stage has no HEALTHCHECK running clipset-healthcheck")
    if "GET /health" not in runtime.text():
        problems.append("Dockerfile: the health check does not ask GET /health")
    if not re.search(r"^STOPSIGNAL SIGTERM$", runtime.text(), re.M):
        problems.append("Dockerfile: no STOPSIGNAL SIGTERM")
    if "HTTP_HOST=0.0.0.0" not in runtime.text():
        problems.append("Dockerfile: HTTP_HOST=0.0.0.0 missing (the services listen on 127.0.0.1 by default)")

    # What each image must have at run time, from the targets each product depends on.
    graph, product_target = target_graph()
    libs = system_libraries()
    base_packages = apt_packages(runtime.text())
    needs_summary = []
    for name in names:
        if name not in runtime_stages:
            continue
        deps = closure(graph, product_target.get(name, name[0].upper() + name[1:]))
        needed = set()
        for module, links in libs.items():
            if module in deps:
                needed |= {runtime_package_of_link(lib) for lib in links}
        if deps & FFMPEG_CLI_MODULES:
            needed.add("ffmpeg")
        have = base_packages | apt_packages(runtime_stages[name].text())
        missing = sorted(needed - have - BASE_IMAGE_PACKAGES)
        if missing:
            why = ", ".join(sorted(m for m in libs if m in deps) + sorted(deps & FFMPEG_CLI_MODULES))
            problems.append(f"Dockerfile: stage `{name}` lacks {', '.join(missing)} (it depends on {why})")
        extra = sorted((apt_packages(runtime_stages[name].text()) - needed))
        if extra:
            problems.append(f"Dockerfile: stage `{name}` installs {', '.join(extra)}, which {name} does not use")
        needs_summary.append(f"{name}: {' '.join(sorted(needed)) or '-'}")
    if "COPY web/ /app/web/" not in runtime_stages.get("gateway", Stage("", "")).text():
        problems.append("Dockerfile: the gateway stage must COPY web/ /app/web/ (WEB_ROOT)")

    # The built executables, when there are some: every library they link comes from a package the image has.
    checked = "not built here, skipped"
    bdir = build_dir()
    if bdir and not shutil.which("readelf"):
        checked, bdir = "no readelf (binutils) here, skipped", None
    if bdir:
        for name in names:
            stage = runtime_stages.get(name)
            if not stage:
                continue
            have = base_packages | apt_packages(stage.text()) | BASE_IMAGE_PACKAGES
            ldd = subprocess.run(["ldd", os.path.join(bdir, name)], capture_output=True, text=True).stdout
            resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.M))
            readelf = subprocess.run(["readelf", "-d", os.path.join(bdir, name)], capture_output=True, text=True).stdout
            for soname in re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", readelf):
                target = resolved.get(soname)
                if not target or not target.startswith(("/lib/", "/usr/lib/")) or "/swift/" in target:
                    continue  # the Swift runtime: the base image's /usr/lib/swift
                owner = dpkg_owner(target)
                if owner and owner not in have:
                    problems.append(f"Dockerfile: {rel(bdir)}/{name} links {soname} from package {owner}, "
                                    f"which stage `{name}` does not install")
        checked = f"checked against the libraries {rel(bdir)}/* link"
    if problems:
        raise Failure(problems)
    return f"{len(runtime_stages)} image stages = products {', '.join(names)}; runtime packages {checked}; " + "; ".join(needs_summary)


# ---------------------------------------------------------------------------------------------
# Compose

COMPOSE = path("compose", "docker-compose.yml")
COMPOSE_TLS = path("compose", "docker-compose.tls.yml")
ENV_EXAMPLE = path("compose", ".env.example")
REQUIRED_SECRET = re.compile(r"^([A-Z0-9_]+)=$")


def docker_compose() -> list[str]:
    exe = shutil.which("docker-compose")
    if not exe:
        raise Failure("docker-compose is not installed (scripts/lib/packages.sh installs Debian's)")
    return [exe]


def filled_env_file(tmp: str) -> str:
    """.env.example with a throw-away value for each required secret."""
    lines = []
    for line in open(ENV_EXAMPLE, encoding="utf-8").read().splitlines():
        match = REQUIRED_SECRET.match(line)
        if match:
            name = match.group(1)
            value = "k1:" + base64.urlsafe_b64encode(b"\0" * 32).decode().rstrip("=") if name == "JWT_PRIVATE_KEYS" else "0123456789abcdef" * 2
            line = f"{name}={value}"
        lines.append(line)
    out = os.path.join(tmp, "compose.env")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return out


def compose_config(env_file: str, *files: str, quiet: bool = False) -> subprocess.CompletedProcess:
    args = docker_compose() + ["--env-file", env_file]
    for file in files:
        args += ["-f", file]
    args += ["config"] + (["-q"] if quiet else [])
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def check_compose_config() -> str:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        env = filled_env_file(tmp)
        for files in ((COMPOSE,), (COMPOSE, COMPOSE_TLS)):
            result = compose_config(env, *files, quiet=True)
            if result.returncode != 0:
                problems.append(f"docker-compose {' -f '.join([''] + [rel(f) for f in files]).strip()} config -q failed: "
                                f"{(result.stderr or result.stdout).strip()}")
        bare = compose_config(ENV_EXAMPLE, COMPOSE, quiet=True)
        required = [m.group(1) for m in map(REQUIRED_SECRET.match, open(ENV_EXAMPLE, encoding="utf-8")) if m]
        if bare.returncode == 0:
            problems.append("docker-compose config accepted compose/.env.example with its secrets empty: "
                            "a required secret must be written ${NAME:?...}")
        elif not any(f"set {name} in compose/.env" in bare.stderr for name in required):
            problems.append(f"docker-compose config refused the empty secrets, but not naming one: {bare.stderr.strip()}")
    if problems:
        raise Failure(problems)
    return (f"docker-compose config -q passes for docker-compose.yml and + docker-compose.tls.yml; "
            f"refuses empty secrets ({len(required)} required: {', '.join(required)})")


def resolved_compose(extra: tuple[str, ...] = ()) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        result = compose_config(filled_env_file(tmp), COMPOSE, *extra)
    if result.returncode != 0:
        raise Failure(f"docker-compose config failed: {result.stderr.strip()}")
    return yaml.safe_load(result.stdout)


def mounts(svc: dict) -> list[dict]:
    """A compose service's volumes as {type, source, target, read_only}, whatever syntax config printed."""
    out = []
    for v in svc.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else (None, parts[0])
            mode = parts[2] if len(parts) > 2 else "rw"
            kind = "bind" if source and source.startswith(("/", ".")) else "volume"
            out.append({"type": kind, "source": source, "target": target, "read_only": "ro" in mode.split(",")})
        else:
            out.append({"type": v.get("type"), "source": v.get("source"), "target": v.get("target"),
                        "read_only": bool(v.get("read_only"))})
    return out


def check_compose_model() -> str:
    problems = []
    model = resolved_compose()
    services = model.get("services", {})
    names = products()
    processes = {"gateway", "auth", "media", "social", "notify", "media-worker"}
    # One-shot `<product> migrate` services, which every process with a schema waits for.
    migrates = {f"{p}-migrate": p for p in schema_products()}
    for name in sorted(processes | set(SERVERS) | {"nginx", "mailpit"} | set(migrates)):
        if name not in services:
            problems.append(f"compose: no service `{name}`")
    if problems:
        raise Failure(problems)
    for name in sorted(processes):
        svc = services[name]
        product = "media" if name == "media-worker" else name
        if product not in names:
            problems.append(f"compose: {name} runs product {product}, which Package.swift does not have")
        image = svc.get("image", "")
        if not re.fullmatch(rf"[\w.\-/:]+/{product}:[\w.\-]+", image):
            problems.append(f"compose: {name} image {image!r} is not <prefix>/{product}:<tag>")
        build = svc.get("build") or {}
        if build.get("target") != product or (build.get("args") or {}).get("SERVICE") != product:
            problems.append(f"compose: {name} must build target {product} with SERVICE={product} (got {build.get('target')}, "
                            f"{(build.get('args') or {}).get('SERVICE')})")
        env = svc.get("environment") or {}
        if str(env.get("HTTP_PORT")) != str(PORTS[name]):
            problems.append(f"compose: {name} HTTP_PORT={env.get('HTTP_PORT')}, expected {PORTS[name]}")
        if svc.get("ports"):
            problems.append(f"compose: {name} publishes ports {svc['ports']}: only nginx is reachable from outside")
        deps = svc.get("depends_on") or {}
        wanted = {"redis"} | ({"postgres", "rabbitmq"} if name != "gateway" else {"auth", "media", "social", "notify"})
        if name in {"media", "social", "notify"}:
            wanted.add("auth")
        if name == "media-worker":
            wanted.add("media")
        for dep in sorted(wanted):
            cond = (deps.get(dep) or {}).get("condition")
            if cond != "service_healthy":
                problems.append(f"compose: {name} must start after {dep} is healthy (depends_on.{dep}.condition: service_healthy), got {cond}")
        # Every schema migrated and every event queue declared before any process publishes
        # (auth's first admin at the first start); the gateway waits for the services' health.
        for dep in sorted(migrates) if name != "gateway" else []:
            cond = (deps.get(dep) or {}).get("condition")
            if cond != "service_completed_successfully":
                problems.append(f"compose: {name} must start after {dep} succeeded "
                                f"(depends_on.{dep}.condition: service_completed_successfully), got {cond}")
        if name != "gateway":
            media = [v for v in mounts(svc) if v["target"] == "/var/lib/clipset/media"]
            if not media or media[0]["source"] != "media":
                problems.append(f"compose: {name} must mount the named volume `media` at /var/lib/clipset/media")
        if name != "gateway" and "DATABASE_URL" not in env:
            problems.append(f"compose: {name} has no DATABASE_URL")
    # The migrate services: the service's image and build, its role, its broker and delivery
    # limit (they declare <product>.events as the service does: other arguments, and the
    # service's own declaration fails), no other secret; after the servers they use.
    for name, product in sorted(migrates.items()):
        svc, owner = services[name], services[product]
        if svc.get("command") != ["migrate"]:
            problems.append(f"compose: {name} command {svc.get('command')} must be [migrate]")
        if str(svc.get("restart", "no")) != "no":
            problems.append(f"compose: {name} restart {svc.get('restart')!r} must be \"no\" (it runs once per `up`)")
        for key in ("image", "build"):
            if svc.get(key) != owner.get(key):
                problems.append(f"compose: {name} {key} differs from {product}'s (the same image, built once)")
        env, owner_env = svc.get("environment") or {}, owner.get("environment") or {}
        for key in ("DATABASE_URL", "AMQP_URL", "EVENTS_DELIVERY_LIMIT"):
            if key not in env or env.get(key) != owner_env.get(key):
                problems.append(f"compose: {name} {key} must be {product}'s")
        for key in sorted(k for k in env if SECRET_ENV.search(k)):
            problems.append(f"compose: {name} gets {key}, which `migrate` does not need")
        deps = svc.get("depends_on") or {}
        for dep in ("postgres", "rabbitmq"):
            if (deps.get(dep) or {}).get("condition") != "service_healthy":
                problems.append(f"compose: {name} must start after {dep} is healthy")
        if svc.get("ports"):
            problems.append(f"compose: {name} publishes ports {svc['ports']}")
    worker = services["media-worker"]
    if worker.get("command") != ["worker"]:
        problems.append(f"compose: media-worker command {worker.get('command')} must be [worker] (`media worker`)")
    replicas = (worker.get("deploy") or {}).get("replicas", 1)
    if replicas < 2:
        problems.append(f"compose: media-worker runs {replicas} replica(s); several are expected (deploy.replicas)")
    for name in SERVERS:
        if "healthcheck" not in services[name]:
            problems.append(f"compose: {name} has no healthcheck, so nothing can wait for it")
    if "management" not in services["rabbitmq"].get("image", ""):
        problems.append(f"compose: rabbitmq image {services['rabbitmq'].get('image')} has no management plugin")
    for name, svc in services.items():
        for port in svc.get("ports") or []:
            if isinstance(port, dict):
                published, host_ip = port.get("published"), port.get("host_ip")
            else:
                parts = str(port).split(":")
                published, host_ip = str(port), (parts[0] if len(parts) == 3 else None)
            if name != "nginx" and host_ip != "127.0.0.1":
                problems.append(f"compose: {name} publishes {published} on all interfaces (only nginx may)")
    # Signed media served by nginx with the secret the media service signs with.
    media_env, nginx = services["media"]["environment"], services["nginx"]
    if media_env.get("MEDIA_URL_SIGNING_MODE") != "nginx":
        problems.append("compose: media must run with MEDIA_URL_SIGNING_MODE=nginx (nginx serves the files)")
    if nginx["environment"].get("CLIPSET_MEDIA_SIGNING_SECRET") != media_env.get("MEDIA_URL_SIGNING_KEY"):
        problems.append("compose: nginx's CLIPSET_MEDIA_SIGNING_SECRET is not media's MEDIA_URL_SIGNING_KEY")
    media = [v for v in mounts(nginx) if v["target"] == "/var/lib/clipset/media"]
    if not media or media[0]["source"] != "media" or not media[0]["read_only"]:
        problems.append("compose: nginx must mount the `media` volume read-only at /var/lib/clipset/media")
    if nginx["environment"].get("CLIPSET_MEDIA_ROOT") != "/var/lib/clipset/media":
        problems.append("compose: nginx CLIPSET_MEDIA_ROOT is not where the media volume is mounted")
    if (nginx.get("depends_on") or {}).get("gateway", {}).get("condition") != "service_healthy":
        problems.append("compose: nginx must start after the gateway is healthy")
    # TRUSTED_PROXIES: exact addresses of nginx (and the gateway, for auth).
    nginx_ip = nginx["networks"]["clipset"]["ipv4_address"]
    gateway_ip = services["gateway"]["networks"]["clipset"]["ipv4_address"]
    if services["gateway"]["environment"].get("TRUSTED_PROXIES") != nginx_ip:
        problems.append(f"compose: gateway TRUSTED_PROXIES must be nginx's address {nginx_ip}")
    if set(services["auth"]["environment"].get("TRUSTED_PROXIES", "").split(",")) != {nginx_ip, gateway_ip}:
        problems.append(f"compose: auth TRUSTED_PROXIES must be nginx's and the gateway's addresses ({nginx_ip},{gateway_ip})")
    # Named volumes for every server's data.
    declared = set((model.get("volumes") or {}).keys())
    for name, target in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data"), ("rabbitmq", "/var/lib/rabbitmq")):
        data = [v for v in mounts(services[name]) if v["target"] == target]
        if not data or data[0]["type"] != "volume" or data[0]["source"] not in declared:
            problems.append(f"compose: {name} must keep {target} on a named volume")
    if "media" not in declared:
        problems.append("compose: no named volume `media`")
    # The worker outlives its own grace on SIGTERM.
    grace = int(worker.get("environment", {}).get("MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS", 20))
    stop = worker.get("stop_grace_period", "10s")
    stop_seconds = int(re.fullmatch(r"(\d+)s", stop).group(1)) if re.fullmatch(r"\d+s", stop) else 0
    if stop_seconds <= grace:
        problems.append(f"compose: media-worker stop_grace_period {stop} must exceed MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS={grace}")
    # The jobs queue is declared by media and by each worker: the same arguments, or the second declare fails.
    if media_env.get("JOBS_DELIVERY_LIMIT") != worker["environment"].get("JOBS_DELIVERY_LIMIT"):
        problems.append("compose: media and media-worker must have the same JOBS_DELIVERY_LIMIT (both declare media.jobs)")
    # The PostgreSQL bootstrap is the same file in compose and in k8s.
    if read("compose", "postgres", "10-clipset-roles.sh") != read("k8s", "infra", "in-cluster", "10-clipset-roles.sh"):
        problems.append("k8s/infra/in-cluster/10-clipset-roles.sh differs from compose/postgres/10-clipset-roles.sh")
    tls = resolved_compose((COMPOSE_TLS,))["services"]["nginx"]
    targets = {v["target"] for v in mounts(tls)}
    for needed in ("/etc/nginx/conf.d/clipset-tls.conf", "/etc/nginx/conf.d/clipset-http-redirect.inc", "/etc/nginx/certs"):
        if needed not in targets:
            problems.append(f"compose: docker-compose.tls.yml does not mount {needed} into nginx")
    if problems:
        raise Failure(problems)
    return (f"{len(services)} services ({', '.join(sorted(processes))} + {', '.join(sorted(migrates))} + servers, "
            f"nginx, mailpit), media-worker x{replicas}, every migrate before the processes, health-ordered start, "
            f"nginx-only ports, secret and trusted addresses wired")


def check_compose_env() -> str:
    problems = []
    example = open(ENV_EXAMPLE, encoding="utf-8").read()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    mentioned = set(re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", example))
    used: dict[str, str | None] = {}
    for file in (COMPOSE, COMPOSE_TLS):
        # Without comments: they may name ${VARIABLES} in prose.
        text = "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in open(file, encoding="utf-8").read().splitlines())
        for name, default in re.findall(r"\$\{([A-Z0-9_]+)(?::?[-?]([^}]*))?\}", text):
            used[name] = default if f"${{{name}:-" in text else None
            defaults = re.findall(rf"\$\{{{name}:-([^}}]*)\}}", text)
            if len(set(defaults)) > 1:
                problems.append(f"{rel(file)}: ${{{name}}} has different defaults: {sorted(set(defaults))}")
    for name in sorted(used):
        if name not in documented:
            problems.append(f"compose/.env.example does not document {name} (used by the compose files) as `{name}=` or `# {name}=`")
    for name in sorted(documented - set(used)):
        problems.append(f"compose/.env.example documents {name}=, which no compose file reads")
    settings = swift_settings()
    for name in sorted(settings):
        if name not in mentioned:
            problems.append(f"compose/.env.example never mentions {name}, a setting the services read")
    for name, default in sorted(used.items()):
        code = settings.get(name)
        if default is None or code is None or name in DELIBERATE_DEFAULTS:
            continue
        if default != code:
            problems.append(f"compose: ${{{name}:-{default}}} differs from the service's default {code!r}")
    for line in example.splitlines():
        match = re.match(r"^#\s*([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match and match.group(1) in used and used[match.group(1)] is not None and match.group(2) != used[match.group(1)]:
            problems.append(f"compose/.env.example shows `# {match.group(1)}={match.group(2)}` but the default is {used[match.group(1)]!r}")
    if problems:
        raise Failure(problems)
    return (f"{len(used)} compose variables documented with their defaults; all {len(settings)} settings the services "
            f"read are mentioned; defaults equal the code's (except {', '.join(sorted(DELIBERATE_DEFAULTS))})")


# ---------------------------------------------------------------------------------------------
# nginx: the compose configuration, run for real


def sign(secret: str, video: str, file: str, expires: int) -> str:
    """A signed media path as Shared/MediaStreaming/MediaURLSigner.swift makes it in `nginx` mode."""
    scope = f"/videos/{video}/"
    digest = hashlib.md5(f"{expires}{scope} {secret}".encode()).digest()
    token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"/media/s/{token},{expires}{scope}{file}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StubGateway(http.server.ThreadingHTTPServer):
    """Stands in for the gateway: records requests, answers 299 (or 403 for signed media, as media would)."""

    daemon_threads = True

    def __init__(self):
        self.seen: list[dict] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_any(handler):
                length = int(handler.headers.get("Content-Length") or 0)
                body = handler.rfile.read(length) if length else b""
                if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = b""
                    while True:
                        size = int(handler.rfile.readline().strip(), 16)
                        if size == 0:
                            handler.rfile.readline()
                            break
                        body += handler.rfile.read(size)
                        handler.rfile.readline()
                self.seen.append({"method": handler.command, "path": handler.path, "headers": dict(handler.headers),
                                  "body_length": len(body)})
                status = 403 if handler.path.startswith("/media/s/") else 299
                handler.send_response(status)
                handler.send_header("X-Stub-Gateway", "1")
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            do_GET = do_HEAD = do_POST = do_any

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def render_templates(out_dir: str, variables: dict[str, str]) -> None:
    """What the nginx image does at start: envsubst of templates/*.template, only ${CLIPSET_*}."""
    os.makedirs(out_dir, exist_ok=True)
    for template in glob.glob(path("compose", "nginx", "templates", "*.template")):
        text = open(template, encoding="utf-8").read()

        def replace(match: re.Match) -> str:
            name = match.group(1) or match.group(2)
            if not name.startswith("CLIPSET_"):
                return match.group(0)
            if name not in variables:
                raise Failure(f"{rel(template)} uses ${{{name}}}, which docker-compose.yml does not give nginx")
            return variables[name]

        text = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", replace, text)
        with open(os.path.join(out_dir, os.path.basename(template)[: -len(".template")]), "w", encoding="utf-8") as f:
            f.write(text)


def nginx_exe() -> str:
    exe = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not exe:
        raise Failure("nginx is not installed (scripts/lib/packages.sh installs nginx-light)")
    version = subprocess.run([exe, "-V"], capture_output=True, text=True).stderr
    if "http_secure_link_module" not in version:
        raise Failure(f"{exe} is built without ngx_http_secure_link_module")
    return exe


def prepare_nginx(tmp: str, port: int, gateway_port: int, media_root: str, secret: str, tls_port: int | None = None) -> str:
    """An nginx prefix in tmp with compose's nginx.conf and rendered templates; returns nginx.conf's path."""
    shutil.copy(path("compose", "nginx", "nginx.conf"), os.path.join(tmp, "nginx.conf"))
    for candidate in ("/etc/nginx/mime.types",):
        shutil.copy(candidate, os.path.join(tmp, "mime.types"))
    compose_env = resolved_compose()["services"]["nginx"]["environment"]
    variables = {k: str(v) for k, v in compose_env.items() if k.startswith("CLIPSET_")}
    variables.update({"CLIPSET_HTTP_PORT": f"127.0.0.1:{port}", "CLIPSET_GATEWAY": f"127.0.0.1:{gateway_port}",
                      "CLIPSET_MEDIA_ROOT": media_root, "CLIPSET_MEDIA_SIGNING_SECRET": secret})
    conf_d = os.path.join(tmp, "conf.d")
    render_templates(conf_d, variables)
    # Where this nginx may write (the image's own paths are root's).
    with open(os.path.join(conf_d, "clipset-zz-test.conf"), "w", encoding="utf-8") as f:
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            f.write(f"{kind}_temp_path {tmp}/{kind};\n")
    if tls_port:
        tls = open(path("compose", "nginx", "tls.conf"), encoding="utf-8").read()
        tls = tls.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;")
        tls = tls.replace("/etc/nginx/certs/", f"{tmp}/certs/")
        with open(os.path.join(conf_d, "clipset-tls.conf"), "w", encoding="utf-8") as f:
            f.write(tls)
        shutil.copy(path("compose", "nginx", "tls-redirect.inc"), os.path.join(conf_d, "clipset-http-redirect.inc"))
        os.makedirs(os.path.join(tmp, "certs"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-keyout", f"{tmp}/certs/privkey.pem", "-out", f"{tmp}/certs/fullchain.pem"],
                       check=True, capture_output=True)
    return os.path.join(tmp, "nginx.conf")


def nginx_args(exe: str, tmp: str, conf: str) -> list[str]:
    return [exe, "-p", tmp, "-e", os.path.join(tmp, "error.log"), "-c", conf,
            "-g", f"daemon off; master_process off; pid {tmp}/nginx.pid;"]


def request(port: int, method: str, target: str, headers: dict | None = None, body: bytes | None = None,
            tls: bool = False) -> tuple[int, dict, bytes]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, target, skip_accept_encoding=True, skip_host="Host" in (headers or {}))
    for key, value in (headers or {}).items():
        conn.putheader(key, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()
    if body is not None:
        conn.send(body)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def swift_signer_vector() -> tuple[str, str, str, int, str]:
    """The nginx-mode example of Tests/MediaStreamingTests/MediaURLSignerTests.swift: secret, video, file, expires, path."""
    text = read("Tests", "MediaStreamingTests", "MediaURLSignerTests.swift")
    body = re.search(r"func nginxModeSignsWhatSecureLinkChecks\(\).*?\n    \}", text, re.S)
    if not body:
        raise Failure("Tests/MediaStreamingTests/MediaURLSignerTests.swift: nginxModeSignsWhatSecureLinkChecks is gone")
    secret = re.search(r'signer\(\.nginx, keys: "[\w-]+:([^"]+)"\)', body.group(0))
    call = re.search(r'signedPath\(videoID: "([^"]+)", file: "([^"]+)"', body.group(0))
    expected = re.search(r'#expect\(path == "([^"]+)"\)', body.group(0))
    if not (secret and call and expected):
        raise Failure("Tests/MediaStreamingTests/MediaURLSignerTests.swift: cannot read the nginx-mode example")
    expires = int(re.search(r",(\d+)/", expected.group(1)).group(1))
    return secret.group(1), call.group(1), call.group(2), expires, expected.group(1)


def check_nginx() -> str:
    exe = nginx_exe()
    secret = "n0t-so-s3cret-" + os.urandom(8).hex()
    problems = []
    vector_secret, vector_video, vector_file, vector_expires, vector_path = swift_signer_vector()
    if sign(vector_secret, vector_video, vector_file, vector_expires) != vector_path:
        raise Failure(f"the signer of this check makes {sign(vector_secret, vector_video, vector_file, vector_expires)}, "
                      f"MediaURLSigner (its test) makes {vector_path}: the check no longer signs as the service does")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        media = os.path.join(tmp, "media")
        files = {
            "vid42/master.m3u8": b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n",
            "vid42/720p/index.m3u8": b"#EXTM3U\n",
            "vid42/720p/seg_001.m4s": os.urandom(70_000),
            "vid42/video.mp4": os.urandom(5_000),
            "vid42/thumb.JPG": os.urandom(100),
            "vid42/notes.txt": b"not media",
            "vid43/master.m3u8": b"#EXTM3U\nother\n",
        }
        for name, data in files.items():
            full = os.path.join(media, "videos", name)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        os.symlink(os.path.join(media, "videos", "vid43", "master.m3u8"), os.path.join(media, "videos", "vid42", "link.m3u8"))
        for root, dirs, names in os.walk(tmp):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        stub = StubGateway()
        threading.Thread(target=stub.serve_forever, daemon=True).start()
        port, tls_port = free_port(), free_port()
        conf = prepare_nginx(tmp, port, stub.server_address[1], media, secret)
        test = subprocess.run(nginx_args(exe, tmp, conf)[:-2] + ["-t", "-g", f"pid {tmp}/nginx.pid;"], capture_output=True, text=True)
        if test.returncode != 0:
            stub.shutdown()
            raise Failure(f"nginx -t refuses compose/nginx: {test.stderr.strip()}")
        process = subprocess.Popen(nginx_args(exe, tmp, conf), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline or process.poll() is not None:
                        raise Failure(f"nginx did not start: {open(os.path.join(tmp, 'error.log')).read()[-2000:]}")
                    time.sleep(0.05)
            now = int(time.time())
            future, past = now + 3600, now - 60
            ok = sign(secret, "vid42", "master.m3u8", future)
            folder = ok[: -len("master.m3u8")]
            token = ok.split("/")[3].split(",")[0]
            tampered = ok.replace(token, ("A" if token[0] != "A" else "B") + token[1:])
            seg = files["vid42/720p/seg_001.m4s"]
            cases = [
                # (what, method, path, headers, expected status, expected body or None, content type, via gateway)
                ("master playlist", "GET", ok, {}, 200, files["vid42/master.m3u8"], "application/vnd.apple.mpegurl", False),
                ("a segment of the same signed tree", "GET", folder + "720p/seg_001.m4s", {}, 200, seg, "video/iso.segment", False),
                ("a rung playlist", "GET", folder + "720p/index.m3u8", {}, 200, None, "application/vnd.apple.mpegurl", False),
                ("progressive file", "GET", folder + "video.mp4", {}, 200, files["vid42/video.mp4"], "video/mp4", False),
                ("upper-case extension", "GET", folder + "thumb.JPG", {}, 200, None, "image/jpeg", False),
                ("HEAD", "HEAD", ok, {}, 200, b"", None, False),
                ("a range", "GET", folder + "720p/seg_001.m4s", {"Range": "bytes=10-19"}, 206, seg[10:20], None, False),
                ("a suffix range", "GET", folder + "720p/seg_001.m4s", {"Range": "bytes=-5"}, 206, seg[-5:], None, False),
                ("an unsatisfiable range", "GET", folder + "video.mp4", {"Range": "bytes=99999-"}, 416, None, None, False),
                ("expired", "GET", sign(secret, "vid42", "master.m3u8", past), {}, 410, None, "application/json", False),
                ("missing file", "GET", folder + "720p/seg_999.m4s", {}, 404, None, "application/json", False),
                ("not a media type", "GET", folder + "notes.txt", {}, 404, None, "application/json", False),
                ("no file", "GET", folder, {}, 404, None, None, False),
                ("a symbolic link", "GET", folder + "link.m3u8", {}, 403, None, None, True),
                ("tampered signature -> media checks its other keys", "GET", tampered, {}, 403, None, None, True),
                ("another video's folder", "GET", ok.replace("/vid42/", "/vid43/"), {}, 403, None, None, True),
                ("climbing out with ..", "GET", folder + "../vid43/master.m3u8", {}, 403, None, None, True),
                ("climbing out with %2e%2e", "GET", folder + "%2e%2e/vid43/master.m3u8", {}, 403, None, None, True),
                ("the rest goes to the gateway", "GET", "/api/health", {}, 299, None, None, True),
                ("the UI goes to the gateway", "GET", "/", {}, 299, None, None, True),
                ("nginx's own health check", "GET", "/nginx-health", {}, 200, b"ok\n", None, False),
            ]
            refused_valid = 0
            for what, method, target, headers, status, body, ctype, via_gateway in cases:
                before = len(stub.seen)
                got, response_headers, data = request(port, method, target, headers)
                proxied = len(stub.seen) > before
                wrong = []
                if got != status:
                    wrong.append(f"status {got}, expected {status}")
                if body is not None and data != body:
                    wrong.append(f"{len(data)} bytes, expected {len(body)}")
                if ctype and not response_headers.get("content-type", "").startswith(ctype):
                    wrong.append(f"Content-Type {response_headers.get('content-type')}, expected {ctype}")
                if proxied != via_gateway:
                    wrong.append("answered by the gateway: media bytes must never pass through Swift" if proxied
                                 else "not passed to the gateway")
                if wrong:
                    problems.append(f"nginx: {what}: {method} {target}: {'; '.join(wrong)}")
                    if proxied and not via_gateway and target.startswith("/media/s/"):
                        refused_valid += 1
            if refused_valid >= 5:
                problems.insert(0, "nginx: every validly signed URL was refused: nginx does not compute the MD5 that "
                                   "MediaURLSigner signs (compose/nginx/templates/clipset-locations.inc.template must have "
                                   'secure_link $1,$2 and secure_link_md5 "$2$3 ${CLIPSET_MEDIA_SIGNING_SECRET}")')
            # What the gateway is told.
            stub.seen.clear()
            request(port, "GET", "/api/auth/me", {"Host": "clipset.example", "X-Forwarded-For": "6.6.6.6"})
            seen = stub.seen[-1]["headers"] if stub.seen else {}
            if seen.get("X-Forwarded-For") != "127.0.0.1":
                problems.append(f"nginx: X-Forwarded-For to the gateway is {seen.get('X-Forwarded-For')!r}: nginx is the edge, "
                                "it must send only the peer's address (127.0.0.1 here), never a client's own claim")
            if seen.get("X-Forwarded-Proto") != "http" or seen.get("Host") != "clipset.example" or not seen.get("X-Request-ID"):
                problems.append(f"nginx: the gateway must get X-Forwarded-Proto, the client's Host and an X-Request-ID; got {seen}")
            request(port, "GET", "/api/auth/me", {"X-Request-ID": "trace-me-42"})
            if not stub.seen or stub.seen[-1]["headers"].get("X-Request-ID") != "trace-me-42":
                problems.append("nginx: a client's own X-Request-ID must reach the gateway unchanged (the services log it)")
            big = os.urandom(3 * 1024 * 1024)
            status, _, _ = request(port, "POST", "/api/videos/upload", {"Content-Type": "application/octet-stream"}, big)
            if status != 299 or not stub.seen or stub.seen[-1]["body_length"] != len(big):
                problems.append(f"nginx: a 3 MiB upload was answered {status} and reached the gateway with "
                                f"{stub.seen[-1]['body_length'] if stub.seen else 0} bytes (client_max_body_size 0 expected)")
        finally:
            process.terminate()
            process.wait(timeout=10)

        # HTTPS (docker-compose.tls.yml): the same locations, and plain HTTP redirected.
        tls_dir = os.path.join(tmp, "tls")
        os.makedirs(tls_dir)
        conf = prepare_nginx(tls_dir, port, stub.server_address[1], media, secret, tls_port=tls_port)
        process = subprocess.Popen(nginx_args(exe, tls_dir, conf), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", tls_port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline or process.poll() is not None:
                        raise Failure(f"nginx with tls.conf did not start: {open(os.path.join(tls_dir, 'error.log')).read()[-2000:]}")
                    time.sleep(0.05)
            status, _, data = request(tls_port, "GET", sign(secret, "vid42", "video.mp4", int(time.time()) + 600), tls=True)
            if status != 200 or data != files["vid42/video.mp4"]:
                problems.append(f"nginx (TLS): a signed file over HTTPS -> {status}")
            status, headers, _ = request(port, "GET", "/api/health", {"Host": "clipset.example"})
            if status != 301 or headers.get("location") != "https://clipset.example/api/health":
                problems.append(f"nginx (TLS): plain HTTP must redirect to https://clipset.example/api/health, got {status} {headers.get('location')}")
            status, _, _ = request(port, "GET", "/nginx-health")
            if status != 200:
                problems.append(f"nginx (TLS): /nginx-health over plain HTTP -> {status}; the container's health check uses it")
        finally:
            process.terminate()
            process.wait(timeout=10)
            stub.shutdown()
    if problems:
        raise Failure(problems)
    return (f"nginx -t passes; {len(cases)} requests against signed URLs made as MediaURLSigner does (nginx mode, "
            f"its test's example reproduced): "
            "one signature covers the HLS tree, ranges, 410 expired, 404 not media, other keys and escapes go to the "
            "gateway; uploads unlimited and streamed; HTTPS server and redirect work")


# ---------------------------------------------------------------------------------------------
# PostgreSQL bootstrap: compose's init script and CloudNativePG's postInitApplicationSQL


def pg_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def check_postgres_bootstrap() -> str:
    bindir = pg_bindir()
    if not bindir:
        raise Failure("PostgreSQL is not installed (scripts/lib/packages.sh installs it)")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    problems = []
    cnpg = rendered("production").get("Cluster", "clipset-db")
    if not cnpg:
        raise Failure("k8s/overlays/production renders no CloudNativePG Cluster clipset-db")
    initdb = cnpg["spec"]["bootstrap"]["initdb"]
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o777)
        data, sock = os.path.join(tmp, "data"), os.path.join(tmp, "sock")
        os.makedirs(sock)
        os.chmod(sock, 0o777)
        port = free_port()
        subprocess.run(as_postgres + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                      "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run(as_postgres + [f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "log"), "-w", "-o",
                                      f"-p {port} -k {sock} -c listen_addresses=''", "start"], check=True, capture_output=True)
        env = dict(os.environ, PGHOST=sock, PGPORT=str(port))

        def psql(db: str, user: str, sql: str) -> subprocess.CompletedProcess:
            return subprocess.run([f"{bindir}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", user, "-d", db, "-Atc", sql],
                                  capture_output=True, text=True, env=env)

        def verify(label: str) -> None:
            for svc in ("auth", "media", "social", "notify"):
                own = psql("clipset", f"clipset_{svc}", "CREATE TABLE probe (id int); SELECT current_schema()")
                if own.returncode != 0 or own.stdout.strip() != svc:
                    problems.append(f"{label}: clipset_{svc} cannot create a table in its schema {svc} "
                                    f"(search_path {own.stdout.strip()!r}): {own.stderr.strip()}")
                other = "media" if svc != "media" else "auth"
                if psql("clipset", f"clipset_{svc}", f"CREATE TABLE {other}.intruder (id int)").returncode == 0:
                    problems.append(f"{label}: clipset_{svc} can create tables in schema {other}")
                if psql("clipset", f"clipset_{svc}", "CREATE TABLE public.intruder (id int)").returncode == 0:
                    problems.append(f"{label}: clipset_{svc} can create tables in schema public")
            if psql("clipset", "nobody_special", "SELECT 1").returncode == 0:
                problems.append(f"{label}: a role without CONNECT can connect to clipset")

        try:
            # compose: /docker-entrypoint-initdb.d/10-clipset-roles.sh with the image's environment.
            psql("postgres", "postgres", "CREATE DATABASE clipset")
            psql("postgres", "postgres", "CREATE ROLE nobody_special LOGIN")
            script_env = dict(env, POSTGRES_USER="postgres", POSTGRES_DB="clipset", DB_PASSWORD_AUTH="a1", DB_PASSWORD_MEDIA="m1",
                              DB_PASSWORD_SOCIAL="s1", DB_PASSWORD_NOTIFY="n1", PATH=f"{bindir}:{os.environ['PATH']}")
            run = subprocess.run(["bash", path("compose", "postgres", "10-clipset-roles.sh")], capture_output=True, text=True, env=script_env)
            if run.returncode != 0:
                problems.append(f"compose/postgres/10-clipset-roles.sh failed: {run.stderr.strip()}")
            else:
                verify("compose/postgres/10-clipset-roles.sh")
            # CloudNativePG: initdb's database and owner, postInitApplicationSQL in it, then the managed roles' passwords.
            psql("postgres", "postgres", "DROP DATABASE clipset")
            for svc in ("auth", "media", "social", "notify"):
                psql("postgres", "postgres", f"DROP ROLE clipset_{svc}")
            psql("postgres", "postgres", f"CREATE ROLE {initdb['owner']} LOGIN")
            psql("postgres", "postgres", f"CREATE DATABASE {initdb['database']} OWNER {initdb['owner']}")
            for statement in initdb.get("postInitApplicationSQL", []):
                result = psql(initdb["database"], "postgres", statement)
                if result.returncode != 0:
                    problems.append(f"k8s/infra/operators/postgres-cluster.yaml: postInitApplicationSQL `{statement}` fails: "
                                    f"{result.stderr.strip()}")
            for role in cnpg["spec"]["managed"]["roles"]:
                psql("postgres", "postgres", f"ALTER ROLE {role['name']} {'LOGIN' if role.get('login') else 'NOLOGIN'} PASSWORD 'x'")
            verify("k8s/infra/operators/postgres-cluster.yaml")
        finally:
            subprocess.run(as_postgres + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
    if problems:
        raise Failure(problems)
    return ("compose's init script and CloudNativePG's bootstrap SQL both give each role its own schema only "
            "(checked in a throw-away PostgreSQL)")


# ---------------------------------------------------------------------------------------------
# Kubernetes


@dataclass
class Rendered:
    overlay: str
    namespace: str
    objects: list[dict]

    def kind(self, kind: str) -> list[dict]:
        return [o for o in self.objects if o["kind"] == kind]

    def get(self, kind: str, name: str) -> dict | None:
        return next((o for o in self.objects if o["kind"] == kind and o["metadata"]["name"] == name), None)


_RENDERED: dict[str, Rendered] = {}


def rendered(overlay: str) -> Rendered:
    if overlay not in _RENDERED:
        try:
            objects = [r.obj for r in kustomize.render(path("k8s", "overlays", overlay))]
        except kustomize.KustomizeError as error:
            raise Failure(f"k8s/overlays/{overlay}: {error}")
        spec = yaml.safe_load(read("k8s", "overlays", overlay, "kustomization.yaml"))
        _RENDERED[overlay] = Rendered(overlay, spec.get("namespace", "default"), objects)
    return _RENDERED[overlay]


def ident(o: dict) -> str:
    return f"{o['kind']} {o['metadata'].get('name')}"


def check_k8s_render() -> str:
    problems, notes = [], []
    kubectl = shutil.which("kubectl")
    for overlay in OVERLAYS:
        mine = rendered(overlay).objects
        if not kubectl:
            continue
        result = subprocess.run([kubectl, "kustomize", path("k8s", "overlays", overlay)], capture_output=True, text=True)
        if result.returncode != 0:
            problems.append(f"kubectl kustomize k8s/overlays/{overlay} failed: {result.stderr.strip()}")
            continue
        key = lambda o: (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])  # noqa: E731
        theirs = {key(o): o for o in yaml.safe_load_all(result.stdout) if o}
        ours = {key(o): o for o in mine}
        for k in sorted(set(ours) ^ set(theirs)):
            problems.append(f"k8s/overlays/{overlay}: {'only Tests/deploy/kustomize.py' if k in ours else 'only kubectl kustomize'} "
                            f"renders {k[0]} {k[2]}")
        for k in sorted(set(ours) & set(theirs)):
            if ours[k] != theirs[k]:
                problems.append(f"k8s/overlays/{overlay}: {k[0]} {k[2]} renders differently with kubectl kustomize")
        notes.append(overlay)
    if problems:
        raise Failure(problems)
    counts = ", ".join(f"{o}: {len(rendered(o).objects)} objects" for o in OVERLAYS)
    same = f"identical to kubectl kustomize ({', '.join(notes)})" if notes else "no kubectl here to compare with"
    return f"{counts}; {same}"


def check_k8s_validate(version: str) -> str:
    import jsonschema
    import kubernetes_validate

    problems, summary = [], []
    for overlay in OVERLAYS:
        builtin = custom = 0
        for o in rendered(overlay).objects:
            where = f"k8s/overlays/{overlay}: {ident(o)}"
            key = (o.get("apiVersion"), o.get("kind"))
            if key in crd_schemas.SCHEMAS:
                source, schema = crd_schemas.SCHEMAS[key]
                errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(o), key=lambda e: list(e.absolute_path))
                for error in errors:
                    field_path = ".".join(str(p) for p in error.absolute_path) or "(object)"
                    problems.append(f"{where}: {field_path}: {error.message} (published fields of {source})")
                custom += 1
                continue
            try:
                kubernetes_validate.validate(o, version, strict=True)
                builtin += 1
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(f"{where}: {key[0]} {key[1]} is neither a built-in kind of Kubernetes {version} nor a custom "
                                "resource with a schema in Tests/deploy/crd_schemas.py")
            except kubernetes_validate.ValidationError as error:
                field_path = ".".join(str(p) for p in error.path) or "(object)"
                problems.append(f"{where}: {field_path}: {error.message} (kubernetes-validate --strict, {version})")
        summary.append(f"{overlay}: {builtin} built-in + {custom} custom")
    # Semantic checks of the custom resources beyond their schema.
    for overlay in OVERLAYS:
        r = rendered(overlay)
        for so in r.kind("ScaledObject"):
            for i, trigger in enumerate(so["spec"]["triggers"]):
                if trigger["type"] != "rabbitmq":
                    continue
                meta = trigger["metadata"]
                where = f"k8s/overlays/{overlay}: ScaledObject {so['metadata']['name']} triggers[{i}]"
                for name in sorted(set(meta) - crd_schemas.RABBITMQ_TRIGGER_METADATA):
                    problems.append(f"{where}: metadata.{name} is not a parameter of KEDA's rabbitmq scaler")
                if meta.get("protocol") not in {"amqp", "http", "auto"}:
                    problems.append(f"{where}: protocol {meta.get('protocol')!r} is not amqp, http or auto")
                if meta.get("mode") not in {"QueueLength", "MessageRate"}:
                    problems.append(f"{where}: mode {meta.get('mode')!r} is not QueueLength or MessageRate")
                if meta.get("mode") == "MessageRate" and meta.get("protocol") != "http":
                    problems.append(f"{where}: mode MessageRate needs protocol http")
                if not re.fullmatch(r"\d+(\.\d+)?", meta.get("value", "")):
                    problems.append(f"{where}: value {meta.get('value')!r} is not a number")
        for ta in r.kind("TriggerAuthentication"):
            for ref in ta["spec"].get("secretTargetRef", []):
                if ref["parameter"] not in crd_schemas.RABBITMQ_AUTH_PARAMETERS:
                    problems.append(f"k8s/overlays/{overlay}: TriggerAuthentication {ta['metadata']['name']}: parameter "
                                    f"{ref['parameter']!r} is not one of the rabbitmq scaler's")
    if problems:
        raise Failure(problems)
    return f"kubernetes-validate --strict ({version}) and the CRD schemas: " + "; ".join(summary)


def containers(o: dict) -> list[dict]:
    specs = kustomize.pod_specs(o)
    return [c for s in specs for c in (s.get("containers") or []) + (s.get("initContainers") or [])]


def pod_labels(o: dict) -> dict:
    if o["kind"] in {"Deployment", "StatefulSet", "Job", "DaemonSet"}:
        return o["spec"]["template"].get("metadata", {}).get("labels", {})
    return {}


def check_k8s_model() -> str:
    problems = []
    names = products()
    secrets_template = [o for o in yaml.safe_load_all(read("k8s", "secrets.example.yaml")) if o]
    template_keys = {o["metadata"]["name"]: set((o.get("stringData") or {}) | (o.get("data") or {})) for o in secrets_template}
    operator_secrets = {"clipset-rabbitmq-default-user"}  # made by the RabbitMQ Cluster Operator in production
    for overlay in OVERLAYS:
        r = rendered(overlay)
        where = f"k8s/overlays/{overlay}"
        if r.kind("Secret"):
            problems.append(f"{where}: renders Secret(s) {[s['metadata']['name'] for s in r.kind('Secret')]}: "
                            "secrets are only referenced (k8s/secrets.example.yaml is their template)")
        config_maps = {c["metadata"]["name"]: c.get("data") or {} for c in r.kind("ConfigMap")}
        deployments = {d["metadata"]["name"]: d for d in r.kind("Deployment")}
        # Every process has its Deployment, running its product with the right arguments and port.
        for process, port in PORTS.items():
            d = deployments.get(f"clipset-{process}")
            if not d:
                problems.append(f"{where}: no Deployment clipset-{process}")
                continue
            product = "media" if process == "media-worker" else process
            (c,) = d["spec"]["template"]["spec"]["containers"] or [None]
            image_product = re.sub(r":.*$", "", c["image"]).rsplit("/", 1)[-1]
            if image_product != product or product not in names:
                problems.append(f"{where}: Deployment clipset-{process} runs image {c['image']}, not the {product} product")
            want_args = ["worker"] if process == "media-worker" else ["serve"]
            if c.get("args") != want_args:
                problems.append(f"{where}: Deployment clipset-{process} args {c.get('args')}, expected {want_args}")
            env = {e["name"]: e for e in c.get("env") or []}
            if env.get("HTTP_PORT", {}).get("value") != str(port) or c["ports"][0]["containerPort"] != port:
                problems.append(f"{where}: Deployment clipset-{process} must listen on {port} (HTTP_PORT and containerPort)")
            probe = lambda k: (c.get(k) or {}).get("httpGet", {})  # noqa: E731
            if probe("readinessProbe").get("path") != "/ready" or probe("livenessProbe").get("path") != "/health":
                problems.append(f"{where}: Deployment clipset-{process}: readiness must probe /ready and liveness /health")
            if d["metadata"].get("labels", {}).get("clipset.io/stage") != "app":
                problems.append(f"{where}: Deployment clipset-{process} lacks label clipset.io/stage=app (k8s/deploy.sh applies "
                                "those after the migrations)")
            if process in {"gateway", "media-worker"} and "replicas" in d["spec"]:
                problems.append(f"{where}: Deployment clipset-{process} sets spec.replicas, which its autoscaler owns")
            selector = d["spec"]["selector"]["matchLabels"]
            if not any(p["spec"]["selector"].get("matchLabels") == selector for p in r.kind("PodDisruptionBudget")):
                problems.append(f"{where}: no PodDisruptionBudget selects Deployment clipset-{process}'s pods")
            if process != "media-worker":
                svc = r.get("Service", f"clipset-{process}")
                if not svc or svc["spec"]["selector"] != selector or svc["spec"]["ports"][0]["targetPort"] != "http":
                    problems.append(f"{where}: Service clipset-{process} must select its pods and target port `http`")
            mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
            if process in {"auth", "media", "social", "media-worker"}:
                vol = next((v for v in d["spec"]["template"]["spec"].get("volumes", []) if v["name"] == mounts.get("/var/lib/clipset/media")), None)
                if not vol or vol.get("persistentVolumeClaim", {}).get("claimName") != "clipset-media":
                    problems.append(f"{where}: Deployment clipset-{process} must mount PVC clipset-media at /var/lib/clipset/media")
            if process == "media-worker":
                grace = int(env.get("MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS", {}).get("value", 20))
                if d["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30) <= grace:
                    problems.append(f"{where}: media workers' terminationGracePeriodSeconds must exceed "
                                    f"MEDIA_WORKER_SHUTDOWN_GRACE_SECONDS={grace}")
        pvc = r.get("PersistentVolumeClaim", "clipset-media")
        if not pvc or pvc["spec"].get("accessModes") != ["ReadWriteMany"]:
            problems.append(f"{where}: PVC clipset-media must be ReadWriteMany (every node's workers write it)")
        hpa = r.get("HorizontalPodAutoscaler", "clipset-gateway")
        if not hpa or hpa["spec"]["scaleTargetRef"] != {"apiVersion": "apps/v1", "kind": "Deployment", "name": "clipset-gateway"}:
            problems.append(f"{where}: no HorizontalPodAutoscaler of Deployment clipset-gateway")
        so = r.get("ScaledObject", "clipset-media-worker")
        if not so:
            problems.append(f"{where}: no ScaledObject clipset-media-worker")
        else:
            spec = so["spec"]
            if spec["scaleTargetRef"].get("name") != "clipset-media-worker" or spec.get("minReplicaCount") != 0:
                problems.append(f"{where}: ScaledObject must scale Deployment clipset-media-worker from 0")
            trigger = spec["triggers"][0]
            meta = trigger["metadata"]
            if trigger["type"] != "rabbitmq" or meta.get("queueName") != "media.jobs" or meta.get("mode") != "QueueLength":
                problems.append(f"{where}: the workers' trigger must be rabbitmq, QueueLength of media.jobs")
            host = re.match(r"amqps?://([^:/]+)", meta.get("host", ""))
            expected_host = f"clipset-rabbitmq.{r.namespace}.svc"
            if not host or host.group(1) != expected_host:
                problems.append(f"{where}: ScaledObject host {meta.get('host')!r} must be the Service's full name {expected_host} "
                                "(KEDA's operator resolves it from its own namespace)")
            worker_env = {e["name"]: e.get("value") for e in containers(deployments.get("clipset-media-worker", {}))[0].get("env", [])} \
                if "clipset-media-worker" in deployments else {}
            if meta.get("value") != worker_env.get("MEDIA_WORKER_CONCURRENCY", "1"):
                problems.append(f"{where}: trigger value {meta.get('value')} must equal MEDIA_WORKER_CONCURRENCY "
                                f"{worker_env.get('MEDIA_WORKER_CONCURRENCY')} (jobs per worker)")
            auth_ref = (trigger.get("authenticationRef") or {}).get("name")
            if not r.get("TriggerAuthentication", auth_ref):
                problems.append(f"{where}: the trigger's authenticationRef {auth_ref} names no TriggerAuthentication")
        # The migration Job: `migrate` of every product with a schema, each with its own DATABASE_URL.
        job = r.get("Job", "clipset-migrate")
        if not job:
            problems.append(f"{where}: no Job clipset-migrate")
        else:
            migrated = sorted(re.sub(r":.*$", "", c["image"]).rsplit("/", 1)[-1] for c in containers(job) if c.get("args") == ["migrate"])
            with_schema = schema_products()
            if migrated != with_schema:
                problems.append(f"{where}: Job clipset-migrate migrates {migrated}; the services with migrations are {with_schema}")
            if job["metadata"].get("labels", {}).get("clipset.io/stage") == "app":
                problems.append(f"{where}: Job clipset-migrate must not carry clipset.io/stage=app (it runs first)")
            # `migrate` also declares the service's event queue: the broker, and the Deployments'
            # EVENTS_DELIVERY_LIMIT (clipset-config), or the services' own declaration fails.
            for c in containers(job):
                refs = {(src.get("configMapRef") or {}).get("name") for src in c.get("envFrom") or []}
                env_names = {e["name"] for e in c.get("env") or []}
                if "clipset-config" not in refs or "EVENTS_DELIVERY_LIMIT" in env_names:
                    problems.append(f"{where}: Job clipset-migrate container {c['name']} must take EVENTS_DELIVERY_LIMIT "
                                    "from clipset-config (envFrom), as the Deployments do")
                if "AMQP_URL" not in env_names:
                    problems.append(f"{where}: Job clipset-migrate container {c['name']} has no AMQP_URL (it declares the event queue)")
        # Every workload: resources, and env references that resolve.
        for o in r.objects:
            for c in containers(o):
                cwhere = f"{where}: {ident(o)} container {c['name']}"
                res = c.get("resources") or {}
                for part in ("requests", "limits"):
                    for resource in ("cpu", "memory"):
                        if resource not in (res.get(part) or {}):
                            problems.append(f"{cwhere}: no {part}.{resource}")
                defined = set()
                for source in c.get("envFrom") or []:
                    ref = (source.get("configMapRef") or {}).get("name")
                    if ref not in config_maps:
                        problems.append(f"{cwhere}: envFrom ConfigMap {ref} is not rendered")
                    defined |= set(config_maps.get(ref, {}))
                for e in c.get("env") or []:
                    for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", e.get("value") or ""):
                        if var not in defined:
                            problems.append(f"{cwhere}: env {e['name']} uses $({var}), which is not defined before it")
                    value_from = e.get("valueFrom") or {}
                    if "secretKeyRef" in value_from:
                        ref = value_from["secretKeyRef"]
                        keys = template_keys.get(ref["name"])
                        if keys is None and not (ref["name"] in operator_secrets and overlay == "production"):
                            problems.append(f"{cwhere}: env {e['name']} reads Secret {ref['name']}, which k8s/secrets.example.yaml lacks")
                        elif keys is not None and ref["key"] not in keys:
                            problems.append(f"{cwhere}: env {e['name']} reads key {ref['key']} of Secret {ref['name']}, "
                                            "which k8s/secrets.example.yaml lacks")
                    if "configMapKeyRef" in value_from:
                        ref = value_from["configMapKeyRef"]
                        if ref["key"] not in config_maps.get(ref["name"], {}):
                            problems.append(f"{cwhere}: env {e['name']} reads {ref['name']}/{ref['key']}, which is not rendered")
                    if SECRET_ENV.search(e["name"]) and "value" in e and "$(" not in e["value"]:
                        problems.append(f"{cwhere}: env {e['name']} has a literal value: secrets come from Secrets only")
                    if re.search(r"://[^:/@$]+:[^@$(]+@", e.get("value") or ""):
                        problems.append(f"{cwhere}: env {e['name']} holds a URL with a literal password")
                    defined.add(e["name"])
        for ta in r.kind("TriggerAuthentication"):
            for ref in ta["spec"].get("secretTargetRef", []):
                keys = template_keys.get(ref["name"])
                if keys is not None and ref["key"] not in keys:
                    problems.append(f"{where}: TriggerAuthentication {ta['metadata']['name']} reads {ref['name']}/{ref['key']}, "
                                    "which k8s/secrets.example.yaml lacks")
    # The templates themselves are valid Secrets.
    import kubernetes_validate
    for o in secrets_template:
        try:
            kubernetes_validate.validate(o, "1.30.0", strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"k8s/secrets.example.yaml: {ident(o)}: {error.message}")
        if o.get("kind") != "Secret":
            problems.append(f"k8s/secrets.example.yaml: {ident(o)} is not a Secret")
    if problems:
        raise Failure(problems)
    return (f"every process has a Deployment (product image, args, port, /ready + /health probes, PDB, Service), "
            f"resources on every container, env references resolve, secrets only referenced "
            f"({len(secrets_template)} templates), HPA, KEDA ScaledObject from 0, migration Job (schemas and event queues), RWX media volume")


# --- NetworkPolicy evaluation -----------------------------------------------------------------


@dataclass
class Pod:
    name: str
    namespace: str
    labels: dict
    ports: dict  # port name -> number


def selector_matches(selector: dict | None, labels: dict) -> bool:
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        value, op = labels.get(expr["key"]), expr["operator"]
        if op == "In" and value not in expr["values"]:
            return False
        if op == "NotIn" and value in expr["values"]:
            return False
        if op == "Exists" and expr["key"] not in labels:
            return False
        if op == "DoesNotExist" and expr["key"] in labels:
            return False
    return True


def peer_matches(peer: dict, source: Pod | str, policy_ns: str) -> bool:
    """Whether a NetworkPolicy peer admits `source` (a Pod, or "external" for any outside address)."""
    if source == "external":
        return "ipBlock" in peer
    if "ipBlock" in peer:
        return False  # pod addresses are not assumed to fall in a block
    ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
    ns_labels = {"kubernetes.io/metadata.name": source.namespace}
    if ns_sel is None and source.namespace != policy_ns:
        return False
    if ns_sel is not None and not selector_matches(ns_sel, ns_labels):
        return False
    return pod_sel is None or selector_matches(pod_sel, source.labels)


def port_matches(rule_ports: list | None, port: int, pod: Pod) -> bool:
    if not rule_ports:
        return True
    for p in rule_ports:
        number = p.get("port")
        if isinstance(number, str):
            number = pod.ports.get(number)
        if number is None:
            return True
        if number == port or (p.get("endPort") and number <= port <= p["endPort"]):
            return True
    return False


def allowed(policies: list[dict], direction: str, pod: Pod, peer: Pod | str, port: int, port_owner: Pod) -> bool:
    kind = "Ingress" if direction == "ingress" else "Egress"
    selecting = [p for p in policies if p["metadata"].get("namespace") == pod.namespace
                 and selector_matches(p["spec"]["podSelector"], pod.labels)
                 and kind in p["spec"].get("policyTypes", ["Ingress"])]
    if not selecting:
        return True
    for p in selecting:
        for rule in p["spec"].get(direction) or []:
            peers = rule.get("from" if direction == "ingress" else "to")
            if peers is not None and not any(peer_matches(x, peer, pod.namespace) for x in peers):
                continue
            if port_matches(rule.get("ports"), port, port_owner):
                return True
    return False


def k8s_pods(r: Rendered) -> dict[str, Pod]:
    pods = {}
    for o in r.objects:
        labels = pod_labels(o)
        if labels:
            ports = {p["name"]: p["containerPort"] for c in containers(o) for p in c.get("ports") or [] if "name" in p}
            pods[labels.get("app.kubernetes.io/name", o["metadata"]["name"])] = Pod(o["metadata"]["name"], r.namespace, labels, ports)
    # Pods the operators make, with the labels they give them.
    for c in r.kind("Cluster"):
        labels = dict(c["spec"].get("inheritedMetadata", {}).get("labels", {}))
        labels.update({"cnpg.io/cluster": c["metadata"]["name"], "cnpg.io/podRole": "instance"})
        pods["postgres"] = Pod(c["metadata"]["name"], r.namespace, labels, {"postgresql": 5432})
    for c in r.kind("RabbitmqCluster"):
        template = c["spec"].get("override", {}).get("statefulSet", {}).get("spec", {}).get("template", {})
        labels = dict(template.get("metadata", {}).get("labels", {}))
        labels.update({"app.kubernetes.io/name": c["metadata"]["name"], "app.kubernetes.io/component": "rabbitmq",
                       "app.kubernetes.io/part-of": "rabbitmq"})
        pods["rabbitmq"] = Pod(c["metadata"]["name"], r.namespace, labels, {"amqp": 5672})
    return pods


def ports_text(ports: list[int]) -> str:
    return ("port " if len(ports) == 1 else "ports ") + ", ".join(map(str, ports))


def check_k8s_network() -> str:
    problems = []
    # Who must reach whom (ARCHITECTURE: gateway -> services, every service -> auth's JWKS, servers).
    stateful = ("auth", "media", "social", "notify", "media-worker")
    required = {("gateway", s, p) for s, p in (("auth", 8081), ("media", 8082), ("social", 8083), ("notify", 8084))}
    required |= {("gateway", "redis", 6379)}
    required |= {(s, "auth", 8081) for s in ("media", "social", "notify")}
    required |= {(s, srv, port) for s in stateful for srv, port in (("postgres", 5432), ("redis", 6379), ("rabbitmq", 5672))}
    required |= {("migrate", "postgres", 5432), ("migrate", "rabbitmq", 5672)}  # schemas, then event queues
    dns = Pod("kube-dns", "kube-system", {"k8s-app": "kube-dns"}, {})
    keda = Pod("keda-operator", "keda", {"app": "keda-operator"}, {})
    edges = 0
    for overlay in OVERLAYS:
        r = rendered(overlay)
        where = f"k8s/overlays/{overlay}"
        policies = r.kind("NetworkPolicy")
        pods = k8s_pods(r)
        clipset = {n: p for n, p in pods.items() if p.labels.get("app.kubernetes.io/part-of") == "clipset"}
        extra_allowed = {("notify", "mailpit", 1025)} if "mailpit" in pods else set()
        for name, pod in clipset.items():
            for direction in ("ingress", "egress"):
                kind = "Ingress" if direction == "ingress" else "Egress"
                if not any(selector_matches(p["spec"]["podSelector"], pod.labels) and kind in p["spec"].get("policyTypes", [])
                           and not p["spec"].get(direction) for p in policies):
                    problems.append(f"{where}: no default-deny {kind} policy selects {name}'s pods")
        for src, dst, port in sorted(required):
            if src not in pods or dst not in pods:
                problems.append(f"{where}: cannot check {src} -> {dst}:{port}: no pods for {src if src not in pods else dst}")
                continue
            if not allowed(policies, "egress", pods[src], pods[dst], port, pods[dst]):
                problems.append(f"{where}: {src} may not send to {dst}:{port} (egress), which it needs")
            if not allowed(policies, "ingress", pods[dst], pods[src], port, pods[dst]):
                problems.append(f"{where}: {dst} does not accept {src} on {port} (ingress), which it needs")
        # Nothing else between the Clipset pods and the servers: each reaches only what it uses.
        candidate_ports = sorted({8080, 8081, 8082, 8083, 8084, 8085, 5432, 6379, 5672, 15672, 1025, 8025})
        for src in sorted(clipset):
            for dst in sorted(pods):
                if src == dst:
                    continue
                both, egress_only, ingress_only = [], [], []
                for port in candidate_ports:
                    out = allowed(policies, "egress", pods[src], pods[dst], port, pods[dst])
                    into = allowed(policies, "ingress", pods[dst], pods[src], port, pods[dst])
                    edges += out and into
                    if (src, dst, port) in required | extra_allowed or not (out or into):
                        continue
                    if (dst, port) == ("gateway", 8080) and not out:
                        continue  # the public entry admits anyone; the sender's egress decides
                    if out and into:
                        both.append(port)
                    elif out:
                        egress_only.append(port)
                    elif dst in clipset:
                        ingress_only.append(port)
                if both:
                    problems.append(f"{where}: {src} can reach {dst} on {ports_text(both)}, which it does not use")
                if egress_only:
                    problems.append(f"{where}: {src}'s egress allows {dst} on {ports_text(egress_only)}, which it does not use "
                                    f"(only {dst}'s ingress policy stops it)")
                if ingress_only:
                    problems.append(f"{where}: {dst}'s ingress admits {src} on {ports_text(ingress_only)}, which {src} does not "
                                    f"use (only {src}'s egress policy stops it)")
            if not allowed(policies, "egress", clipset[src], dns, 53, dns):
                problems.append(f"{where}: {src} cannot reach the cluster DNS")
        for dst in sorted(pods):
            for port in candidate_ports:
                if allowed(policies, "ingress", pods[dst], "external", port, pods[dst]) and \
                        (dst != "gateway" or port != 8080) and dst in clipset:
                    problems.append(f"{where}: {dst}:{port} is reachable from outside the cluster (only gateway:8080 may be)")
        if not allowed(policies, "ingress", pods["gateway"], "external", 8080, pods["gateway"]):
            problems.append(f"{where}: the gateway is not reachable from outside on 8080")
        if "rabbitmq" in pods and not allowed(policies, "ingress", pods["rabbitmq"], keda, 5672, pods["rabbitmq"]):
            problems.append(f"{where}: KEDA (namespace keda) cannot read the queue depth on rabbitmq:5672")
    if problems:
        raise Failure(problems)
    return (f"both overlays: default deny everywhere, {len(required)} needed connections allowed both ways, nothing else "
            f"({edges} allowed pod-to-pod connections counted), only gateway:8080 reachable from outside, DNS and KEDA allowed")


# ---------------------------------------------------------------------------------------------
# Docs


def check_docs() -> str:
    problems = []
    doc_path = path("docs", "operations.md")
    if not os.path.exists(doc_path):
        raise Failure("docs/operations.md is missing")
    doc = open(doc_path, encoding="utf-8").read()
    metrics = metric_names() | {"http_requests_total", "http_request_duration_seconds"}
    for name in sorted(metrics):
        if f"`{name}`" not in doc:
            problems.append(f"docs/operations.md does not explain the metric `{name}` (found in Services/ or Shared/)")
    for name in sorted(set(re.findall(r"`([a-z]+_[a-z_]+(?:_total|_seconds|_ratio|_pending|_streams))`", doc)) - metrics):
        problems.append(f"docs/operations.md explains a metric `{name}` that no code emits")
    for topic in ("docker-compose", "kubectl", "KEDA", "MEDIA_URL_SIGNING_KEYS", "JWT_PRIVATE_KEYS", "pg_dump", "pg_restore", "migrate"):
        if topic not in doc:
            problems.append(f"docs/operations.md never mentions {topic}")
    readme = read("README.md")
    if "docs/operations.md" not in readme or not re.search(r"^#+ Deploying", readme, re.M):
        problems.append("README.md needs a `Deploying` section linking docs/operations.md")
    if problems:
        raise Failure(problems)
    return f"docs/operations.md explains all {len(metrics)} metrics the code emits; README links it"


# ---------------------------------------------------------------------------------------------

CHECKS = {
    "dockerfile": check_dockerfile,
    "compose-config": check_compose_config,
    "compose-model": check_compose_model,
    "compose-env": check_compose_env,
    "nginx": check_nginx,
    "postgres-bootstrap": check_postgres_bootstrap,
    "k8s-render": check_k8s_render,
    "k8s-validate": None,  # needs the version argument
    "k8s-model": check_k8s_model,
    "k8s-network": check_k8s_network,
    "docs": check_docs,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated checks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the checks")
    parser.add_argument("--k8s-version", default="1.30.0", help="Kubernetes version of kubernetes-validate's schemas")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CHECKS))
        return 0
    wanted = args.only.split(",") if args.only else list(CHECKS)
    unknown = [w for w in wanted if w not in CHECKS]
    if unknown:
        parser.error(f"unknown check(s) {unknown}; --list shows them")
    failed = 0
    for name in wanted:
        started = time.monotonic()
        try:
            summary = check_k8s_validate(args.k8s_version) if name == "k8s-validate" else CHECKS[name]()
            print(f"ok    {name} ({time.monotonic() - started:.1f}s): {summary}", flush=True)
        except Failure as failure:
            failed += 1
            print(f"FAIL  {name} ({time.monotonic() - started:.1f}s):", flush=True)
            for problem in failure.problems:
                print(f"      - {problem}", flush=True)
        except Exception as error:  # a bug of the check itself, or a file it cannot parse: still a failure, with where
            failed += 1
            where = traceback.extract_tb(error.__traceback__)[-1]
            print(f"FAIL  {name} ({time.monotonic() - started:.1f}s): {type(error).__name__}: {error} "
                  f"(at {os.path.basename(where.filename)}:{where.lineno})", flush=True)
    if failed:
        print(f"deploy check: {failed} of {len(wanted)} checks failed", flush=True)
        return 1
    print(f"deploy check: all {len(wanted)} checks ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
