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
#   JWT_PRIVATE_KEYS          auth's Ed25519 signing key(s), `kid:seed` (see jwt_private_keys)

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

# Prints auth's signing keys (JWT_PRIVATE_KEYS: `kid:seed`, the seed 32 random
# bytes in base64url), generating one key the first time.
jwt_private_keys() {
    local value file kid seed
    value="$(secret_lookup JWT_PRIVATE_KEYS)"
    if [[ -z "$value" ]]; then
        file="$(secrets_file)"
        mkdir -p "$(dirname "$file")"
        kid="k$(date -u +%Y%m%d)$(random_hex 2)"
        seed="$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
        value="$kid:$seed"
        (umask 077 && printf 'JWT_PRIVATE_KEYS=%s\n' "$value" >>"$file")
    fi
    printf '%s\n' "$value"
}
