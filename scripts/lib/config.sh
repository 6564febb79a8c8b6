# shellcheck shell=bash
# Settings of one Clipset environment, read from the environment with the
# defaults of `scripts/clipset up`. scripts/test exports its own values before
# calling config_load. Every value is exported, so child scripts see the same.
#
#   CLIPSET_STATE_DIR       state folder (data, logs, pids, secrets)   <repo>/.local
#   CLIPSET_PG_PORT         PostgreSQL port on 127.0.0.1                54320
#   CLIPSET_REDIS_PORT      Redis port                                 63790
#   CLIPSET_AMQP_PORT       RabbitMQ AMQP port                         56720
#   CLIPSET_AMQP_DIST_PORT  RabbitMQ Erlang distribution port          56721
#   CLIPSET_RABBIT_NODE     RabbitMQ node name (before @localhost)     clipset
#   CLIPSET_SMTP_PORT       SMTP receiver (aiosmtpd), open             2525
#   CLIPSET_SMTP_AUTH_PORT  SMTP receiver, STARTTLS + AUTH required    2526
#   CLIPSET_EPHEMERAL       1: throw-away data (no Redis persistence,
#                           PostgreSQL without fsync)                  0
#   CLIPSET_DB_NAME         database the services use                  clipset
#   CLIPSET_BUILD_DIR       folder holding the service binaries        <repo>/.build/release
#   CLIPSET_PORT_BASE       gateway port; auth +1, media +2, social +3,
#                           notify +4, media worker i +4+i             8080
#   GATEWAY_PORT / CLIPSET_PORT_<GATEWAY|AUTH|MEDIA|SOCIAL|NOTIFY>  per-service overrides
#   MEDIA_WORKERS           number of `media worker` processes         2

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Exports every setting, filling in the defaults.
config_load() {
    export CLIPSET_STATE_DIR="${CLIPSET_STATE_DIR:-$CLIPSET_ROOT/.local}"
    export CLIPSET_PG_PORT="${CLIPSET_PG_PORT:-54320}"
    export CLIPSET_REDIS_PORT="${CLIPSET_REDIS_PORT:-63790}"
    export CLIPSET_AMQP_PORT="${CLIPSET_AMQP_PORT:-56720}"
    export CLIPSET_AMQP_DIST_PORT="${CLIPSET_AMQP_DIST_PORT:-56721}"
    export CLIPSET_RABBIT_NODE="${CLIPSET_RABBIT_NODE:-clipset}"
    export CLIPSET_SMTP_PORT="${CLIPSET_SMTP_PORT:-2525}"
    export CLIPSET_SMTP_AUTH_PORT="${CLIPSET_SMTP_AUTH_PORT:-2526}"
    export CLIPSET_EPHEMERAL="${CLIPSET_EPHEMERAL:-0}"
    export CLIPSET_DB_NAME="${CLIPSET_DB_NAME:-clipset}"
    export CLIPSET_BUILD_DIR="${CLIPSET_BUILD_DIR:-$CLIPSET_ROOT/.build/release}"
    export CLIPSET_PORT_BASE="${CLIPSET_PORT_BASE:-8080}"
    export MEDIA_WORKERS="${MEDIA_WORKERS:-2}"
    config_check
}

# Stops on a setting that cannot work.
config_check() {
    local name
    for name in CLIPSET_PG_PORT CLIPSET_REDIS_PORT CLIPSET_AMQP_PORT CLIPSET_AMQP_DIST_PORT \
        CLIPSET_SMTP_PORT CLIPSET_SMTP_AUTH_PORT CLIPSET_PORT_BASE MEDIA_WORKERS; do
        [[ "${!name}" =~ ^[0-9]+$ ]] || die "$name must be a number, not '${!name}'"
    done
    [[ "$CLIPSET_STATE_DIR" == /* ]] || CLIPSET_STATE_DIR="$PWD/$CLIPSET_STATE_DIR"
    [[ "$CLIPSET_STATE_DIR" != *"'"* ]] || die "CLIPSET_STATE_DIR must not contain a quote"
    [[ "$CLIPSET_RABBIT_NODE" =~ ^[A-Za-z0-9_-]+$ ]] || die "CLIPSET_RABBIT_NODE: letters, digits, _ and - only"
    [[ "$CLIPSET_DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die "CLIPSET_DB_NAME: lowercase letters, digits and _ only"
}
