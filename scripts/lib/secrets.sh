# shellcheck shell=bash
# Secrets of one environment, kept in $CLIPSET_STATE_DIR/secrets.env (mode 600),
# one NAME=value line each. A secret is generated once (random hex from
# /dev/urandom) and reused ever after. The file is parsed, never sourced.
#
#   POSTGRES_PASSWORD         PostgreSQL superuser `postgres`
#   RABBITMQ_PASSWORD         RabbitMQ user `clipset`
#   DB_PASSWORD_<SVC>         role clipset_<svc> (AUTH, MEDIA, SOCIAL, NOTIFY)
#   MEDIA_URL_SIGNING_KEY     key media signs file URLs with (32 bytes)
#   INITIAL_ADMIN_PASSWORD    only when the environment gives none

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Prints the path of the secrets file.
secrets_file() { printf '%s/secrets.env\n' "$CLIPSET_STATE_DIR"; }

# Prints the stored value of secret $1, or nothing.
secret_lookup() {
    local file
    file="$(secrets_file)"
    [[ -f "$file" ]] || return 0
    grep -m1 "^$1=" "$file" | cut -d= -f2- || true
}

# Prints secret $1, generating $2 random bytes (default 16) the first time.
secret() {
    local name=$1 value file
    value="$(secret_lookup "$name")"
    if [[ -z "$value" ]]; then
        file="$(secrets_file)"
        mkdir -p "$(dirname "$file")"
        value="$(random_hex "${2:-16}")"
        (umask 077 && printf '%s=%s\n' "$name" "$value" >>"$file")
    fi
    printf '%s\n' "$value"
}
