# shellcheck shell=bash
# Redis as a plain daemonised process on 127.0.0.1:$CLIPSET_REDIS_PORT, files
# under $CLIPSET_STATE_DIR/redis. Keeps its data (append-only file plus the
# default snapshots) unless CLIPSET_EPHEMERAL=1, where it saves nothing.
#
#   redis_start | redis_stop | redis_status

# shellcheck source=scripts/lib/config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

redis_dir() { printf '%s/redis\n' "$CLIPSET_STATE_DIR"; }

# Runs redis-cli against our server.
redis_cli() { redis-cli -h 127.0.0.1 -p "$CLIPSET_REDIS_PORT" "$@"; }

# True when our server answers PING.
redis_running() {
    [[ -f "$(redis_dir)/redis.pid" ]] && [[ "$(redis_cli ping 2>/dev/null)" == PONG ]]
}

# Prints the persistence options of redis-server.
redis_persistence_args() {
    if [[ "$CLIPSET_EPHEMERAL" == 1 ]]; then
        printf '%s\n' --save '' --appendonly no
    else
        printf '%s\n' --appendonly yes
    fi
}

# Starts Redis; returns once it answers PING.
redis_start() {
    local dir persistence deadline
    if redis_running; then
        say "redis already running on 127.0.0.1:$CLIPSET_REDIS_PORT"
        return 0
    fi
    port_open "$CLIPSET_REDIS_PORT" && die "port $CLIPSET_REDIS_PORT is taken by another program"
    dir="$(redis_dir)"
    mkdir -p "$dir"
    mapfile -t persistence < <(redis_persistence_args)
    say "starting redis on 127.0.0.1:$CLIPSET_REDIS_PORT"
    redis-server --port "$CLIPSET_REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${persistence[@]}" </dev/null >/dev/null ||
        die "redis-server failed to start"
    deadline=$((SECONDS + 30))
    until redis_running; do
        ((SECONDS < deadline)) || { show_log_tail "$dir/redis.log"; die "redis is not ready"; }
        sleep 0.1
    done
}

# Stops Redis; returns once it no longer listens.
redis_stop() {
    if ! port_open "$CLIPSET_REDIS_PORT"; then
        say "redis not running"
        return 0
    fi
    [[ -f "$(redis_dir)/redis.pid" ]] || die "port $CLIPSET_REDIS_PORT is served by another program"
    say "stopping redis"
    redis_cli shutdown >/dev/null 2>&1 || true
    wait_port_closed "$CLIPSET_REDIS_PORT" 30 || die "redis still listens on $CLIPSET_REDIS_PORT"
}

# Prints one status line; true when running.
redis_status() {
    if redis_running; then
        printf '%-14s up      127.0.0.1:%s\n' redis "$CLIPSET_REDIS_PORT"
    else
        printf '%-14s down    127.0.0.1:%s\n' redis "$CLIPSET_REDIS_PORT"
        return 1
    fi
}
