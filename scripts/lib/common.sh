# shellcheck shell=bash
# Small helpers shared by every Clipset script: messages, the repository root,
# TCP port probes, process checks and random secrets.
# Source it; it defines functions and CLIPSET_ROOT, and runs nothing else.

[[ -n "${CLIPSET_COMMON_LOADED:-}" ]] && return 0
CLIPSET_COMMON_LOADED=1

CLIPSET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
CLIPSET_LIB="$CLIPSET_ROOT/scripts/lib"

# Prints a progress line.
say() { printf '==> %s\n' "$*"; }

# Prints a warning on stderr.
warn() { printf 'warning: %s\n' "$*" >&2; }

# Prints an error on stderr and exits 1.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Waits up to $2 seconds (default 60) until 127.0.0.1:$1 accepts connections.
wait_port_open() {
    local port=$1 deadline=$((SECONDS + ${2:-60}))
    until port_open "$port"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# Waits up to $2 seconds (default 60) until nothing listens on 127.0.0.1:$1.
wait_port_closed() {
    local port=$1 deadline=$((SECONDS + ${2:-60}))
    while port_open "$port"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# True when process $1 exists and is not a zombie (exited children are reaped late here).
pid_alive() {
    local stat
    [[ "$1" =~ ^[0-9]+$ ]] || return 1
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat%% *}" != Z ]]
}

# Prints the pid stored in file $1, or nothing.
read_pid() {
    local pid=""
    [[ -f "$1" ]] && read -r pid <"$1" 2>/dev/null
    [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
    return 0
}

# Prints $1 random bytes (default 16) as lowercase hex.
random_hex() {
    od -An -N"${1:-16}" -tx1 /dev/urandom | tr -d ' \n'
}

# Prints the last $2 lines (default 30) of log file $1, framed.
show_log_tail() {
    local file=$1 lines=${2:-30}
    printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&2
    if [[ -f "$file" ]]; then tail -n "$lines" "$file" >&2; else printf '(no log file)\n' >&2; fi
    printf -- '---\n' >&2
}

# Puts the Swift toolchain of /opt/swift on PATH when `swift` is not found.
swift_on_path() {
    command -v swift >/dev/null 2>&1 && return 0
    [[ -x /opt/swift/usr/bin/swift ]] || die "swift is not installed (expected on PATH or in /opt/swift)"
    export PATH="/opt/swift/usr/bin:$PATH"
}
