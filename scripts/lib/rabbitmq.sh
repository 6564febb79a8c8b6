# shellcheck shell=bash
# RabbitMQ as a plain process on 127.0.0.1:$CLIPSET_AMQP_PORT (distribution
# port $CLIPSET_AMQP_DIST_PORT on loopback too), node
# $CLIPSET_RABBIT_NODE@localhost, every file (HOME and its Erlang cookie,
# mnesia, logs, config, plugins) under $CLIPSET_STATE_DIR/rabbitmq. The user
# `clipset` (password RABBITMQ_PASSWORD in secrets.env) has full rights on `/`.
#
#   rabbit_start | rabbit_stop | rabbit_status | rabbit_ctl ARGS...

# shellcheck source=scripts/lib/config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
# shellcheck source=scripts/lib/secrets.sh
source "$(dirname "${BASH_SOURCE[0]}")/secrets.sh"

RABBIT_SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
RABBIT_CTL=/usr/lib/rabbitmq/bin/rabbitmqctl
RABBIT_USER=clipset

rabbit_dir() { printf '%s/rabbitmq\n' "$CLIPSET_STATE_DIR"; }
rabbit_node() { printf '%s@localhost\n' "$CLIPSET_RABBIT_NODE"; }

# Prints the environment (NAME=value lines) shared by the server and rabbitmqctl.
rabbit_env() {
    local dir
    dir="$(rabbit_dir)"
    printf '%s\n' \
        "HOME=$dir" \
        "RABBITMQ_NODENAME=$(rabbit_node)" \
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
        "RABBITMQ_NODE_PORT=$CLIPSET_AMQP_PORT" \
        "RABBITMQ_DIST_PORT=$CLIPSET_AMQP_DIST_PORT" \
        "RABBITMQ_MNESIA_BASE=$dir/mnesia" \
        "RABBITMQ_LOG_BASE=$dir/log" \
        "RABBITMQ_PID_FILE=$dir/rabbitmq.pid" \
        "RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf" \
        "RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config" \
        "RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf" \
        "RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins" \
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
        "ERL_EPMD_ADDRESS=127.0.0.1"
}

# Runs a command in the RabbitMQ environment.
rabbit_run() {
    local env
    mapfile -t env < <(rabbit_env)
    env "${env[@]}" "$@"
}

# Runs rabbitmqctl against our node (same HOME, so the same cookie).
rabbit_ctl() { rabbit_run "$RABBIT_CTL" -q -n "$(rabbit_node)" "$@"; }

# Writes the config, plugin list and Erlang cookie, once each.
rabbit_prepare() {
    local dir
    dir="$(rabbit_dir)"
    mkdir -p "$dir/mnesia" "$dir/log"
    [[ -f "$dir/rabbitmq-env.conf" ]] || : >"$dir/rabbitmq-env.conf"
    [[ -f "$dir/enabled_plugins" ]] || printf '[].\n' >"$dir/enabled_plugins"
    if [[ ! -f "$dir/.erlang.cookie" ]]; then
        (umask 077 && random_hex 20 >"$dir/.erlang.cookie")
        chmod 400 "$dir/.erlang.cookie"
    fi
    (umask 077 && rabbit_config >"$dir/rabbitmq.conf")
}

# Prints rabbitmq.conf: the `clipset` user is created with the node's first boot.
rabbit_config() {
    printf '%s\n' \
        "default_vhost = /" \
        "default_user = $RABBIT_USER" \
        "default_pass = $(secret RABBITMQ_PASSWORD)" \
        "default_user_tags.administrator = true" \
        "default_permissions.configure = .*" \
        "default_permissions.read = .*" \
        "default_permissions.write = .*"
}

# True when our node listens on the AMQP port.
rabbit_running() {
    [[ -f "$(rabbit_dir)/rabbitmq.pid" ]] && port_open "$CLIPSET_AMQP_PORT"
}

# Waits for the AMQP port, failing early when the server process ($1) died.
rabbit_wait_port() {
    local pid=$1 deadline=$((SECONDS + 90))
    until port_open "$CLIPSET_AMQP_PORT"; do
        pid_alive "$pid" || return 1
        ((SECONDS < deadline)) || return 1
        sleep 0.3
    done
}

# Makes sure `clipset` logs in with the stored password (a node older than secrets.env).
rabbit_ensure_user() {
    local password
    password="$(secret RABBITMQ_PASSWORD)"
    rabbit_ctl authenticate_user "$RABBIT_USER" "$password" >/dev/null 2>&1 && return 0
    say "creating rabbitmq user $RABBIT_USER"
    rabbit_ctl add_user "$RABBIT_USER" "$password" >/dev/null 2>&1 ||
        rabbit_ctl change_password "$RABBIT_USER" "$password" >/dev/null
    rabbit_ctl set_user_tags "$RABBIT_USER" administrator >/dev/null
    rabbit_ctl set_permissions -p / "$RABBIT_USER" '.*' '.*' '.*' >/dev/null
}

# Starts RabbitMQ; returns once the node has fully booted.
rabbit_start() {
    local dir fresh=0 pid
    if rabbit_running; then
        say "rabbitmq already running on 127.0.0.1:$CLIPSET_AMQP_PORT"
        return 0
    fi
    port_open "$CLIPSET_AMQP_PORT" && die "port $CLIPSET_AMQP_PORT is taken by another program"
    dir="$(rabbit_dir)"
    [[ -d "$dir/mnesia/$(rabbit_node)" ]] || fresh=1
    rabbit_prepare
    say "starting rabbitmq on 127.0.0.1:$CLIPSET_AMQP_PORT (node $(rabbit_node))"
    rabbit_run setsid nohup "$RABBIT_SERVER" >>"$dir/log/server.out" 2>&1 </dev/null &
    pid=$!
    rabbit_wait_port "$pid" || { show_log_tail "$dir/log/server.out"; die "rabbitmq did not start"; }
    rabbit_ctl await_startup --timeout 90 >/dev/null ||
        { show_log_tail "$dir/log/server.out"; die "rabbitmq did not finish booting"; }
    ((fresh)) || rabbit_ensure_user
}

# Stops RabbitMQ; returns once it no longer listens. Ends epmd when no node is left.
rabbit_stop() {
    if ! port_open "$CLIPSET_AMQP_PORT"; then
        say "rabbitmq not running"
        return 0
    fi
    [[ -f "$(rabbit_dir)/rabbitmq.pid" ]] || die "port $CLIPSET_AMQP_PORT is served by another program"
    say "stopping rabbitmq"
    rabbit_ctl shutdown >/dev/null 2>&1 || rabbit_kill
    wait_port_closed "$CLIPSET_AMQP_PORT" 30 || die "rabbitmq still listens on $CLIPSET_AMQP_PORT"
    rm -f "$(rabbit_dir)/rabbitmq.pid"
    epmd_stop_when_unused
}

# Kills the node by its pid file when rabbitmqctl cannot reach it.
rabbit_kill() {
    local pid
    pid="$(read_pid "$(rabbit_dir)/rabbitmq.pid")"
    [[ -n "$pid" ]] || return 0
    warn "rabbitmqctl shutdown failed; killing pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
}

# Ends the Erlang port mapper when no node is registered with it any more.
epmd_stop_when_unused() {
    local names
    names="$(epmd -names 2>/dev/null)" || return 0
    grep -q '^name ' <<<"$names" && return 0
    epmd -kill >/dev/null 2>&1 || true
}

# Prints one status line; true when running.
rabbit_status() {
    if rabbit_running; then
        printf '%-14s up      127.0.0.1:%s  node %s\n' rabbitmq "$CLIPSET_AMQP_PORT" "$(rabbit_node)"
    else
        printf '%-14s down    127.0.0.1:%s\n' rabbitmq "$CLIPSET_AMQP_PORT"
        return 1
    fi
}
