# shellcheck shell=bash
# An SMTP receiver (scripts/lib/smtp_sink.py on PyPI's aiosmtpd) as a plain
# process: open on 127.0.0.1:$CLIPSET_SMTP_PORT, and on
# 127.0.0.1:$CLIPSET_SMTP_AUTH_PORT with STARTTLS (a self-signed certificate for
# 127.0.0.1, made once by openssl) and AUTH required for the user `clipset`
# (password SMTP_PASSWORD in secrets.env). Every message received is one file
# in $CLIPSET_STATE_DIR/mail/inbox; the server's own files are in .../smtp.
#
#   smtp_start | smtp_stop | smtp_status | smtp_url | smtp_auth_url | smtp_ca_file | smtp_inbox

# shellcheck source=scripts/lib/config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
# shellcheck source=scripts/lib/secrets.sh
source "$(dirname "${BASH_SOURCE[0]}")/secrets.sh"

SMTP_USER=clipset

smtp_dir() { printf '%s/smtp\n' "$CLIPSET_STATE_DIR"; }
smtp_inbox() { printf '%s/mail/inbox\n' "$CLIPSET_STATE_DIR"; }
smtp_ca_file() { printf '%s/tls/cert.pem\n' "$(smtp_dir)"; }

# The open listener's URL, as SMTP_URL.
smtp_url() { printf 'smtp://127.0.0.1:%s\n' "$CLIPSET_SMTP_PORT"; }

# The authenticating listener's URL, credentials included, STARTTLS required.
smtp_auth_url() {
    printf 'smtp://%s:%s@127.0.0.1:%s?starttls=required\n' "$SMTP_USER" "$(secret SMTP_PASSWORD)" \
        "$CLIPSET_SMTP_AUTH_PORT"
}

# True when our receiver listens on both ports.
smtp_running() {
    [[ -f "$(smtp_dir)/smtp.pid" ]] && port_open "$CLIPSET_SMTP_PORT" && port_open "$CLIPSET_SMTP_AUTH_PORT"
}

# Makes the self-signed certificate for 127.0.0.1, once.
smtp_certificate() {
    local tls
    tls="$(smtp_dir)/tls"
    [[ -f "$tls/cert.pem" && -f "$tls/key.pem" ]] && return 0
    mkdir -p "$tls"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
        -keyout "$tls/key.pem" -out "$tls/cert.pem" >"$tls/openssl.log" 2>&1) ||
        { show_log_tail "$tls/openssl.log"; die "openssl could not make the SMTP certificate"; }
}

# Starts the receiver; returns once both ports accept connections.
smtp_start() {
    local dir pid deadline password
    if smtp_running; then
        say "smtp already running on 127.0.0.1:$CLIPSET_SMTP_PORT"
        return 0
    fi
    port_open "$CLIPSET_SMTP_PORT" && die "port $CLIPSET_SMTP_PORT is taken by another program"
    port_open "$CLIPSET_SMTP_AUTH_PORT" && die "port $CLIPSET_SMTP_AUTH_PORT is taken by another program"
    dir="$(smtp_dir)"
    mkdir -p "$dir" "$(smtp_inbox)"
    smtp_certificate
    password="$(secret SMTP_PASSWORD)"
    say "starting smtp on 127.0.0.1:$CLIPSET_SMTP_PORT (auth: $CLIPSET_SMTP_AUTH_PORT)"
    SMTP_SINK_USER="$SMTP_USER" SMTP_SINK_PASSWORD="$password" setsid nohup python3 "$CLIPSET_LIB/smtp_sink.py" \
        --inbox "$(smtp_inbox)" --port "$CLIPSET_SMTP_PORT" --auth-port "$CLIPSET_SMTP_AUTH_PORT" \
        --cert "$dir/tls/cert.pem" --key "$dir/tls/key.pem" >>"$dir/smtp.log" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$dir/smtp.pid"
    deadline=$((SECONDS + 30))
    until smtp_running; do
        if ! pid_alive "$pid" || ((SECONDS >= deadline)); then
            show_log_tail "$dir/smtp.log"
            die "smtp did not start"
        fi
        sleep 0.1
    done
}

# Stops the receiver; returns once it no longer listens.
smtp_stop() {
    local pid
    if ! port_open "$CLIPSET_SMTP_PORT" && ! port_open "$CLIPSET_SMTP_AUTH_PORT"; then
        say "smtp not running"
        rm -f "$(smtp_dir)/smtp.pid"
        return 0
    fi
    pid="$(read_pid "$(smtp_dir)/smtp.pid")"
    [[ -n "$pid" ]] || die "port $CLIPSET_SMTP_PORT is served by another program"
    say "stopping smtp"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_port_closed "$CLIPSET_SMTP_PORT" 10 || ! wait_port_closed "$CLIPSET_SMTP_AUTH_PORT" 10; then
        warn "smtp ignored SIGTERM; killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
        if ! wait_port_closed "$CLIPSET_SMTP_PORT" 10 || ! wait_port_closed "$CLIPSET_SMTP_AUTH_PORT" 10; then
            die "smtp still listens on $CLIPSET_SMTP_PORT or $CLIPSET_SMTP_AUTH_PORT"
        fi
    fi
    rm -f "$(smtp_dir)/smtp.pid"
}

# Prints one status line; true when running.
smtp_status() {
    if smtp_running; then
        printf '%-14s up      127.0.0.1:%s  auth %s  inbox %s\n' smtp "$CLIPSET_SMTP_PORT" \
            "$CLIPSET_SMTP_AUTH_PORT" "$(smtp_inbox)"
    else
        printf '%-14s down    127.0.0.1:%s\n' smtp "$CLIPSET_SMTP_PORT"
        return 1
    fi
}
