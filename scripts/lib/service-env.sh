# shellcheck shell=bash
# What each Clipset process is: its name, binary, arguments, port and
# environment. Processes: gateway, auth, media, social, notify and
# media-worker-1..$MEDIA_WORKERS (`media worker`).
#
# Environment given to every process (the names the Swift services read):
#   HTTP_HOST=127.0.0.1  HTTP_PORT  REDIS_URL  AMQP_URL  MEDIA_ROOT=<state>/media
#   LOG_FORMAT=json  LOG_LEVEL (default info)
#   MALLOC_ARENA_MAX=2 (glibc keeps one heap arena per busy thread otherwise; every
#   service runs a dozen threads, and the extra arenas doubled idle memory)
# auth, media, social, notify, media workers: DATABASE_URL (role clipset_<svc>,
#   workers use media's); gateway: AUTH_URL MEDIA_URL SOCIAL_URL NOTIFY_URL, WEB_ROOT;
# media, workers, gateway: MEDIA_URL_SIGNING_KEY; auth: INITIAL_ADMIN_EMAIL,
#   INITIAL_ADMIN_USERNAME, INITIAL_ADMIN_PASSWORD, JWT_PRIVATE_KEYS (generated once
#   into secrets.env unless the environment gives them), PUBLIC_URL (default: the
#   gateway's URL); every other service: AUTH_JWKS_URL (auth's /.well-known/jwks.json).
# Everything else of the caller's environment is inherited, so SMTP_URL,
# BCRYPT_COST, ACCESS_TOKEN_EXPIRE_MINUTES, THROTTLE_*, GATEWAY_UPSTREAM_TIMEOUT, RATE_LIMIT_ANON, RATE_LIMIT_USER, CORS_ORIGINS and
# MEDIA_WORKER_CONCURRENCY pass through when set.

# shellcheck source=scripts/lib/provision.sh
source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"
# shellcheck source=scripts/lib/rabbitmq.sh
source "$(dirname "${BASH_SOURCE[0]}")/rabbitmq.sh"

# shellcheck disable=SC2034 # used by services.sh
SERVICES=(gateway auth media social notify)

# Prints every process name, backends first.
process_names() {
    local i
    printf '%s\n' auth media social notify
    for ((i = 1; i <= MEDIA_WORKERS; i++)); do printf 'media-worker-%s\n' "$i"; done
    printf '%s\n' gateway
}

# Prints the service whose binary process $1 runs (media for its workers).
process_service() {
    case "$1" in
        media-worker-*) printf 'media\n' ;;
        *) printf '%s\n' "$1" ;;
    esac
}

# Prints the arguments of process $1 after its binary.
process_args() {
    case "$1" in
        media-worker-*) printf 'worker\n' ;;
        *) ;;
    esac
}

process_binary() { printf '%s/%s\n' "$CLIPSET_BUILD_DIR" "$(process_service "$1")"; }

# Prints the HTTP port of process $1.
process_port() {
    local base=$CLIPSET_PORT_BASE
    case "$1" in
        gateway) printf '%s\n' "${GATEWAY_PORT:-${CLIPSET_PORT_GATEWAY:-$base}}" ;;
        auth) printf '%s\n' "${CLIPSET_PORT_AUTH:-$((base + 1))}" ;;
        media) printf '%s\n' "${CLIPSET_PORT_MEDIA:-$((base + 2))}" ;;
        social) printf '%s\n' "${CLIPSET_PORT_SOCIAL:-$((base + 3))}" ;;
        notify) printf '%s\n' "${CLIPSET_PORT_NOTIFY:-$((base + 4))}" ;;
        media-worker-*) printf '%s\n' "$((base + 4 + ${1#media-worker-}))" ;;
        *) die "unknown process '$1'" ;;
    esac
}

process_url() { printf 'http://127.0.0.1:%s\n' "$(process_port "$1")"; }

amqp_url() {
    printf 'amqp://%s:%s@127.0.0.1:%s/%%2F\n' "$RABBIT_USER" "$(secret RABBITMQ_PASSWORD)" "$CLIPSET_AMQP_PORT"
}

redis_url() { printf 'redis://127.0.0.1:%s\n' "$CLIPSET_REDIS_PORT"; }

# Exports INITIAL_ADMIN_* with defaults; the password is generated once when none is given.
admin_defaults() {
    export INITIAL_ADMIN_USERNAME="${INITIAL_ADMIN_USERNAME:-admin}"
    export INITIAL_ADMIN_EMAIL="${INITIAL_ADMIN_EMAIL:-admin@example.com}"
    if [[ -z "${INITIAL_ADMIN_PASSWORD:-}" ]]; then
        INITIAL_ADMIN_PASSWORD="$(secret INITIAL_ADMIN_PASSWORD)"
    fi
    export INITIAL_ADMIN_PASSWORD
}

# Prints the environment (NAME=value lines) of process $1.
process_env() {
    local name=$1 service svc
    service="$(process_service "$name")"
    printf '%s\n' HTTP_HOST=127.0.0.1 "HTTP_PORT=$(process_port "$name")" \
        "REDIS_URL=$(redis_url)" "AMQP_URL=$(amqp_url)" "MEDIA_ROOT=$CLIPSET_STATE_DIR/media" \
        LOG_FORMAT=json "LOG_LEVEL=${LOG_LEVEL:-info}" "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}"
    [[ "$service" == gateway ]] || printf 'DATABASE_URL=%s\n' "$(db_role_url "$service")"
    # Without SMTP_URL, notify writes each email as an .eml file here.
    [[ "$service" != notify ]] || printf 'MAIL_DIR=%s\n' "$CLIPSET_STATE_DIR/mail/outbox"
    if [[ "$service" == gateway ]]; then
        printf 'WEB_ROOT=%s\n' "$CLIPSET_ROOT/web"
        for svc in auth media social notify; do
            printf '%s_URL=%s\n' "$(tr '[:lower:]' '[:upper:]' <<<"$svc")" "$(process_url "$svc")"
        done
    fi
    if [[ "$service" == media || "$service" == gateway ]]; then
        printf 'MEDIA_URL_SIGNING_KEY=%s\n' "$(secret MEDIA_URL_SIGNING_KEY 32)"
    fi
    if [[ "$service" == auth ]]; then
        admin_defaults
        printf '%s\n' "INITIAL_ADMIN_USERNAME=$INITIAL_ADMIN_USERNAME" \
            "INITIAL_ADMIN_EMAIL=$INITIAL_ADMIN_EMAIL" "INITIAL_ADMIN_PASSWORD=$INITIAL_ADMIN_PASSWORD" \
            "JWT_PRIVATE_KEYS=${JWT_PRIVATE_KEYS:-$(jwt_private_keys)}" "PUBLIC_URL=${PUBLIC_URL:-$(process_url gateway)}"
    else
        printf 'AUTH_JWKS_URL=%s/.well-known/jwks.json\n' "$(process_url auth)"
    fi
}
