# One image per Clipset process, all from this file (docs/operations.md).
#
#   docker build --build-arg SERVICE=media -t clipset/media .
#
# SERVICE names the product to build (auth, gateway, media, social, notify: the
# executables of Package.swift); the last stage is the stage of that name, so the
# image holds only what that service needs at run time:
#
#   every service   the Swift runtime (swift:*-bookworm-slim), librabbitmq4 and
#                   libhiredis0.14 (every executable links CRabbitMQ and CHiredis,
#                   through Messaging and Redis), tini, ca-certificates
#   auth, social    + ffmpeg: avatars and category images are rendered by the ffmpeg
#                   command line (Shared/Images)
#   gateway         + web/ (the UI it serves from WEB_ROOT=/app/web)
#   media           + ffmpeg (the workers transcode with it) and libavformat59,
#                   libavcodec59, libavutil57, libswscale6 (CFFmpeg: probing in process)
#   notify          + libcurl4 (CCurl: SMTP)
#
# The media image is also the worker: `media worker` (compose and k8s pass `worker`).
# Every image runs as uid/gid 10001, answers the health check on $HTTP_PORT/health,
# and runs its executable under tini, which passes SIGTERM on (only to the service:
# a worker's ffmpeg keeps running while the worker lets its job finish) and reaps
# orphans; the services shut down gracefully on SIGTERM.
#
# Only Dockerfile syntax the classic builder also understands is used (no cache
# mounts, no heredocs), so docker-compose 1.x builds it too.

ARG SWIFT_VERSION=6.3
ARG SERVICE=gateway

# ---------------------------------------------------------------------------
# Build: one product, release mode.
FROM swift:${SWIFT_VERSION}-bookworm AS build
ARG SERVICE
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        pkg-config librabbitmq-dev libhiredis-dev libcurl4-openssl-dev \
        libavformat-dev libavcodec-dev libavutil-dev libswscale-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a change of sources does not fetch them again.
COPY Package.* ./
RUN swift package resolve
COPY . .
RUN case "${SERVICE}" in auth|gateway|media|social|notify) ;; \
        *) echo "SERVICE must be one of auth gateway media social notify, not '${SERVICE}'" >&2; exit 1 ;; \
    esac \
    && swift build -c release --product "${SERVICE}" \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging/bin \
    && cp "${bin}/${SERVICE}" /staging/bin/ \
    && find "${bin}" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/bin/ \;

# ---------------------------------------------------------------------------
# What every service image has.
FROM swift:${SWIFT_VERSION}-bookworm-slim AS runtime
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends tini ca-certificates librabbitmq4 libhiredis0.14 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 clipset \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin clipset \
    && mkdir -p /app/bin /var/lib/clipset/media \
    && chown -R 10001:10001 /var/lib/clipset \
    && printf '%s\n' \
        '#!/bin/bash' \
        '# Exits 0 when the service of this container answers GET /health on $HTTP_PORT with 200.' \
        'exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PORT:?HTTP_PORT is not set}" || exit 1' \
        'printf "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3' \
        'IFS= read -r -t 3 status <&3 || exit 1' \
        '[[ "$status" == HTTP/1.?" 200"* ]]' \
        > /usr/local/bin/clipset-healthcheck \
    && chmod 755 /usr/local/bin/clipset-healthcheck
# HTTP_HOST: listen on the container's interfaces (the services default to 127.0.0.1).
# MALLOC_ARENA_MAX: as `scripts/clipset up` runs them (one glibc arena per busy thread doubles idle memory).
ENV HTTP_HOST=0.0.0.0 \
    MEDIA_ROOT=/var/lib/clipset/media \
    LOG_FORMAT=json \
    MALLOC_ARENA_MAX=2 \
    HOME=/tmp
WORKDIR /app
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/clipset-healthcheck"]
USER 10001:10001

# ---------------------------------------------------------------------------
# One stage per service, named after its product in Package.swift.

FROM runtime AS auth
USER root
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update && apt-get -q install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
USER 10001:10001
COPY --from=build /staging/bin/ /app/bin/
ENV HTTP_PORT=8081
EXPOSE 8081
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/auth"]
CMD ["serve"]

FROM runtime AS gateway
COPY web/ /app/web/
COPY --from=build /staging/bin/ /app/bin/
ENV HTTP_PORT=8080 \
    WEB_ROOT=/app/web
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/gateway"]
CMD ["serve"]

FROM runtime AS media
USER root
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends ffmpeg libavformat59 libavcodec59 libavutil57 libswscale6 \
    && rm -rf /var/lib/apt/lists/*
USER 10001:10001
COPY --from=build /staging/bin/ /app/bin/
# `media worker` listens on 8085 (set HTTP_PORT=8085 for it).
ENV HTTP_PORT=8082
EXPOSE 8082 8085
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/media"]
CMD ["serve"]

FROM runtime AS social
USER root
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update && apt-get -q install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
USER 10001:10001
COPY --from=build /staging/bin/ /app/bin/
ENV HTTP_PORT=8083
EXPOSE 8083
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/social"]
CMD ["serve"]

FROM runtime AS notify
USER root
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update && apt-get -q install -y --no-install-recommends libcurl4 \
    && rm -rf /var/lib/apt/lists/*
USER 10001:10001
COPY --from=build /staging/bin/ /app/bin/
ENV HTTP_PORT=8084
EXPOSE 8084
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/notify"]
CMD ["serve"]

# ---------------------------------------------------------------------------
# The image: the stage SERVICE names, checked to hold that service's executable
# (a --target other than SERVICE would copy another product).
FROM ${SERVICE} AS image
ARG SERVICE
RUN test -x "/app/bin/${SERVICE}" \
    || { echo "/app/bin/${SERVICE} is missing: build with --build-arg SERVICE=<service> (not --target alone)" >&2; exit 1; }
