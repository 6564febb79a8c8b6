# shellcheck shell=bash
# Starts, stops and checks the Clipset processes (see service-env.sh) as
# background processes: stdout+stderr to <state>/logs/<name>.log, pid in
# <state>/run/<name>.pid, exit status in <state>/run/<name>.exit once it ends.
#
#   services_build             swift build -c release (skipped when CLIPSET_SKIP_BUILD=1)
#   services_migrate           `<bin> migrate` for auth, media, social, notify
#   services_start_all         start every process not already running and ready
#   services_wait_ready NAME.. wait for GET /ready = 200 (CLIPSET_READY_TIMEOUT, 120 s)
#   platform_start             migrate, start all, wait until all are ready
#   services_stop NAME..       SIGTERM, up to 20 s, then SIGKILL
#   services_stop_all          stop every process that has a pid file
#   services_status            one line per process

# shellcheck source=scripts/lib/service-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/service-env.sh"

run_dir() { printf '%s/run\n' "$CLIPSET_STATE_DIR"; }
log_dir() { printf '%s/logs\n' "$CLIPSET_STATE_DIR"; }
pid_file() { printf '%s/%s.pid\n' "$(run_dir)" "$1"; }
exit_file() { printf '%s/%s.exit\n' "$(run_dir)" "$1"; }
log_file() { printf '%s/%s.log\n' "$(log_dir)" "$1"; }

services_dirs_ensure() { mkdir -p "$(run_dir)" "$(log_dir)" "$CLIPSET_STATE_DIR/media"; }

# Builds the release binaries.
services_build() {
    if [[ "${CLIPSET_SKIP_BUILD:-0}" == 1 ]]; then return 0; fi
    swift_on_path
    say "building release binaries (swift build -c release)"
    (cd "$CLIPSET_ROOT" && swift build -c release) || die "swift build failed"
}

# Stops unless every binary exists.
services_check_binaries() {
    local svc
    for svc in "${SERVICES[@]}"; do
        [[ -x "$CLIPSET_BUILD_DIR/$svc" ]] || die "missing $CLIPSET_BUILD_DIR/$svc: build first"
    done
}

# Runs `<bin> migrate` with the service's environment, output to its log.
services_migrate() {
    local svc env
    services_dirs_ensure
    for svc in "${DB_SERVICES[@]}"; do
        say "migrating $svc"
        mapfile -t env < <(process_env "$svc")
        env "${env[@]}" "$(process_binary "$svc")" migrate >>"$(log_file "$svc")" 2>&1 </dev/null ||
            { show_log_tail "$(log_file "$svc")"; die "$svc migrate failed"; }
    done
}

# True when pid $1 is alive and runs process $2's binary (and arguments).
pid_runs_process() {
    local pid=$1 name=$2 argv=()
    pid_alive "$pid" || return 1
    mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || return 1
    ((${#argv[@]} > 0)) || return 1
    [[ "$(basename "${argv[0]}")" == "$(process_service "$name")" ]] || return 1
    [[ "${argv[1]:-}" == "$(process_args "$name")" ]]
}

# Prints the pid of process $1 when it is running, or nothing.
process_pid() {
    local pid
    pid="$(read_pid "$(pid_file "$1")")"
    if [[ -n "$pid" ]] && pid_runs_process "$pid" "$1"; then printf '%s\n' "$pid"; fi
}

# True when GET /ready of process $1 answers 200.
process_ready() {
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(process_url "$1")/ready")" == 200 ]]
}

# Launches process $1 in the background and waits for its pid file.
process_launch() {
    local name=$1 env args deadline
    mapfile -t env < <(process_env "$name")
    mapfile -t args < <(process_args "$name")
    rm -f "$(pid_file "$name")" "$(exit_file "$name")"
    port_open "$(process_port "$name")" && die "$name: port $(process_port "$name") is taken by another program"
    say "starting $name on $(process_url "$name")"
    nohup setsid "$CLIPSET_LIB/supervise.sh" "$(pid_file "$name")" "$(exit_file "$name")" \
        env "${env[@]}" "$(process_binary "$name")" "${args[@]}" >>"$(log_file "$name")" 2>&1 </dev/null &
    deadline=$((SECONDS + 10))
    until [[ -s "$(pid_file "$name")" ]]; do
        ((SECONDS < deadline)) || die "$name did not start"
        sleep 0.1
    done
}

# Starts process $1 unless it runs and is ready; restarts it when it runs unready.
process_start() {
    local name=$1 pid
    pid="$(process_pid "$name")"
    if [[ -n "$pid" ]] && process_ready "$name"; then
        say "$name already running (pid $pid)"
        return 0
    fi
    if [[ -n "$pid" ]]; then
        say "$name (pid $pid) is not ready: restarting it"
        services_stop "$name"
    fi
    process_launch "$name"
}

services_start_all() {
    local name
    services_dirs_ensure
    services_check_binaries
    while read -r name; do process_start "$name"; done < <(process_names)
}

# Prints why process $1 cannot become ready (it exited), or nothing.
process_exit_reason() {
    local status
    if [[ -f "$(exit_file "$1")" ]]; then
        status="$(cat "$(exit_file "$1")")"
        printf 'exited with status %s\n' "$status"
    elif ! pid_alive "$(read_pid "$(pid_file "$1")")"; then
        printf 'is not running\n'
    fi
}

# Waits until every process named answers GET /ready with 200.
services_wait_ready() {
    local timeout=${CLIPSET_READY_TIMEOUT:-120} pending=("$@") waiting name reason deadline
    deadline=$((SECONDS + timeout))
    say "waiting for ${pending[*]} to be ready"
    while ((${#pending[@]} > 0)); do
        waiting=()
        for name in "${pending[@]}"; do
            reason="$(process_exit_reason "$name")"
            [[ -z "$reason" ]] || { show_log_tail "$(log_file "$name")"; die "$name $reason"; }
            process_ready "$name" || waiting+=("$name")
        done
        pending=("${waiting[@]}")
        ((${#pending[@]} > 0)) || break
        if ((SECONDS >= deadline)); then
            show_log_tail "$(log_file "${pending[0]}")"
            die "not ready after ${timeout}s: ${pending[*]}"
        fi
        sleep 0.5
    done
}

# Migrates, starts every process and waits until all are ready.
platform_start() {
    local names
    services_check_binaries
    services_migrate
    services_start_all
    mapfile -t names < <(process_names)
    services_wait_ready "${names[@]}"
}

# Prints the pids of the processes named that are running.
running_pids() {
    local name
    for name in "$@"; do process_pid "$name"; done
}

# Stops the processes named: SIGTERM, up to 20 s to exit, then SIGKILL.
services_stop() {
    local pids pid name deadline=$((SECONDS + 20)) alive
    mapfile -t pids < <(running_pids "$@")
    for name in "$@"; do [[ -z "$(process_pid "$name")" ]] || say "stopping $name"; done
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    while :; do
        alive=()
        for pid in "${pids[@]}"; do pid_alive "$pid" && alive+=("$pid"); done
        ((${#alive[@]} > 0 && SECONDS < deadline)) || break
        sleep 0.2
    done
    for pid in "${alive[@]}"; do
        warn "pid $pid ignored SIGTERM for 20 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    done
    deadline=$((SECONDS + 5))
    for pid in "${alive[@]}"; do
        while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    done
    for name in "$@"; do rm -f "$(pid_file "$name")"; done
}

# Prints the names of processes that have a pid file.
pid_file_names() {
    local file
    for file in "$(run_dir)"/*.pid; do
        [[ -e "$file" ]] && basename "$file" .pid
    done
    return 0
}

services_stop_all() {
    local names
    mapfile -t names < <(pid_file_names)
    ((${#names[@]} == 0)) || services_stop "${names[@]}"
}

# Prints one status line for process $1.
process_status() {
    local name=$1 pid ready=unready reason
    pid="$(process_pid "$name")"
    if [[ -n "$pid" ]]; then
        process_ready "$name" && ready=ready
        printf '%-14s up      %-8s pid %-7s %s\n' "$name" "$ready" "$pid" "$(process_url "$name")"
    else
        reason=""
        [[ -f "$(exit_file "$name")" ]] && reason="(exited $(cat "$(exit_file "$name")"))"
        printf '%-14s down    %s\n' "$name" "$reason"
    fi
}

services_status() {
    local name
    while read -r name; do process_status "$name"; done < <(process_names)
}
