# shellcheck shell=bash
# PostgreSQL as a plain process on 127.0.0.1:$CLIPSET_PG_PORT, data under
# $CLIPSET_STATE_DIR/postgres (owned by the `postgres` user when run as root).
# Superuser `postgres` with POSTGRES_PASSWORD from secrets.env; host logins use
# scram-sha-256. The Unix socket lives in the data folder's sibling `sock`
# when its path is short enough, else PostgreSQL listens on TCP only.
#
#   pg_start | pg_stop | pg_status | pg_psql ARGS...

# shellcheck source=scripts/lib/config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
# shellcheck source=scripts/lib/secrets.sh
source "$(dirname "${BASH_SOURCE[0]}")/secrets.sh"

# Prints the folder of the newest installed PostgreSQL's programs.
pg_bindir() {
    local dirs
    mapfile -t dirs < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V)
    ((${#dirs[@]} > 0)) || die "PostgreSQL is not installed (run scripts/clipset up or scripts/test)"
    printf '%s\n' "${dirs[-1]}"
}

# Runs a command as the user PostgreSQL runs as (`postgres` when we are root).
as_postgres() {
    if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Prints the folder for PostgreSQL's files; outside the state folder only when
# the postgres user cannot reach the state folder (e.g. a clone under /root).
pg_base_dir() {
    if [[ ! -d "$CLIPSET_STATE_DIR" ]] || as_postgres test -x "$CLIPSET_STATE_DIR"; then
        printf '%s/postgres\n' "$CLIPSET_STATE_DIR"
    else
        printf '/var/tmp/clipset-postgres-%s\n' "$(printf '%s' "$CLIPSET_STATE_DIR" | cksum | cut -d' ' -f1)"
    fi
}

pg_data_dir() { printf '%s/data\n' "$(pg_base_dir)"; }

# Prints the Unix socket folder, or nothing when its path would be too long.
pg_socket_dir() {
    local dir
    dir="$(pg_base_dir)/sock"
    if ((${#dir} + 16 <= 100)); then printf '%s\n' "$dir"; fi
}

# Runs pg_ctl as the postgres user on our data folder.
pg_ctl_run() {
    as_postgres "$(pg_bindir)/pg_ctl" -D "$(pg_data_dir)" "$@"
}

# Creates the cluster with the superuser password, once.
pg_init() {
    local base data pwfile
    base="$(pg_base_dir)"
    data="$base/data"
    [[ -f "$data/PG_VERSION" ]] && return 0
    say "initialising PostgreSQL in $data"
    mkdir -p "$base/sock"
    if ((EUID == 0)); then chown postgres:postgres "$base" "$base/sock"; fi
    pwfile="$base/.pwfile"
    (umask 077 && secret POSTGRES_PASSWORD >"$pwfile")
    if ((EUID == 0)); then chown postgres:postgres "$pwfile"; fi
    as_postgres "$(pg_bindir)/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 ||
        { rm -f "$pwfile"; show_log_tail "$base/initdb.log"; die "initdb failed"; }
    rm -f "$pwfile"
}

# Writes our settings to clipset.conf, included from postgresql.conf.
pg_write_conf() {
    local data conf
    data="$(pg_data_dir)"
    conf="$data/clipset.conf"
    {
        printf "port = %s\nlisten_addresses = '127.0.0.1'\n" "$CLIPSET_PG_PORT"
        printf "unix_socket_directories = '%s'\nmax_connections = 300\n" "$(pg_socket_dir)"
        if [[ "$CLIPSET_EPHEMERAL" == 1 ]]; then
            printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
        fi
    } | as_postgres tee "$conf" >/dev/null
    grep -q "^include_if_exists = 'clipset.conf'" "$data/postgresql.conf" ||
        printf "include_if_exists = 'clipset.conf'\n" | as_postgres tee -a "$data/postgresql.conf" >/dev/null
}

# True when our cluster is up and listening.
pg_running() {
    [[ -f "$(pg_data_dir)/postmaster.pid" ]] && port_open "$CLIPSET_PG_PORT"
}

# Starts PostgreSQL; returns once it accepts connections.
pg_start() {
    if pg_running; then
        say "postgres already running on 127.0.0.1:$CLIPSET_PG_PORT"
        return 0
    fi
    port_open "$CLIPSET_PG_PORT" && die "port $CLIPSET_PG_PORT is taken by another program"
    mkdir -p "$CLIPSET_STATE_DIR"
    pg_init
    pg_write_conf
    say "starting postgres on 127.0.0.1:$CLIPSET_PG_PORT"
    pg_ctl_run -l "$(pg_base_dir)/postgresql.log" -w -t 60 start >/dev/null ||
        { show_log_tail "$(pg_base_dir)/postgresql.log"; die "postgres did not start"; }
    wait_port_open "$CLIPSET_PG_PORT" 30 || die "postgres does not listen on $CLIPSET_PG_PORT"
    "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$CLIPSET_PG_PORT" -t 30 || die "postgres is not ready"
}

# Stops PostgreSQL (fast shutdown); returns once it no longer listens.
pg_stop() {
    if ! port_open "$CLIPSET_PG_PORT"; then
        say "postgres not running"
        return 0
    fi
    [[ -f "$(pg_data_dir)/postmaster.pid" ]] || die "port $CLIPSET_PG_PORT is served by another program"
    say "stopping postgres"
    pg_ctl_run -m fast -w -t 60 stop >/dev/null || die "postgres did not stop"
    wait_port_closed "$CLIPSET_PG_PORT" 30 || die "postgres still listens on $CLIPSET_PG_PORT"
}

# Prints one status line; true when running.
pg_status() {
    if pg_running; then
        printf '%-14s up      127.0.0.1:%s  %s\n' postgres "$CLIPSET_PG_PORT" "$(pg_data_dir)"
    else
        printf '%-14s down    127.0.0.1:%s\n' postgres "$CLIPSET_PG_PORT"
        return 1
    fi
}

# Runs psql as the superuser over TCP on database $1 with the remaining arguments.
pg_psql() {
    local db=$1
    shift
    PGPASSWORD="$(secret POSTGRES_PASSWORD)" PGOPTIONS="-c client_min_messages=warning" \
        "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$CLIPSET_PG_PORT" -U postgres -d "$db" "$@"
}
