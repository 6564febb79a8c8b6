# shellcheck shell=bash
# Database provisioning, run as the PostgreSQL superuser. Idempotent.
#
#   provision_database [DB]   (default $CLIPSET_DB_NAME)
#
# Creates database DB and, for each of auth, media, social, notify: a LOGIN
# role clipset_<svc> (password DB_PASSWORD_<SVC> in secrets.env) whose
# search_path is its own schema <svc>, owned by it. Only these roles may
# connect to DB; nobody may use its public schema. Gateway has no database.
#
#   db_role_url SVC [DB]      prints postgres://clipset_<svc>:<pw>@127.0.0.1:<port>/<db>
#   db_superuser_url [DB]     prints postgres://postgres:<pw>@127.0.0.1:<port>/<db>

# shellcheck source=scripts/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

DB_SERVICES=(auth media social notify)

# Prints the password of role clipset_$1, generating it once.
db_password() {
    local upper
    upper="$(tr '[:lower:]' '[:upper:]' <<<"$1")"
    secret "DB_PASSWORD_$upper"
}

db_role_url() {
    printf 'postgres://clipset_%s:%s@127.0.0.1:%s/%s\n' \
        "$1" "$(db_password "$1")" "$CLIPSET_PG_PORT" "${2:-$CLIPSET_DB_NAME}"
}

db_superuser_url() {
    printf 'postgres://postgres:%s@127.0.0.1:%s/%s\n' \
        "$(secret POSTGRES_PASSWORD)" "$CLIPSET_PG_PORT" "${1:-$CLIPSET_DB_NAME}"
}

# Prints SQL that creates the role of service $1, or resets its password when
# the stored one no longer logs in (a cluster older than secrets.env).
provision_role_sql() {
    local svc=$1 password
    password="$(db_password "$svc")"
    [[ "$password" =~ ^[0-9a-f]+$ ]] || die "DB_PASSWORD_$svc in secrets.env must be hex"
    if [[ -z "$(pg_psql postgres -Atc "SELECT 1 FROM pg_roles WHERE rolname = 'clipset_$svc'")" ]]; then
        printf "CREATE ROLE clipset_%s LOGIN PASSWORD '%s';\n" "$svc" "$password"
    elif ! db_role_can_login "$svc"; then
        printf "ALTER ROLE clipset_%s LOGIN PASSWORD '%s';\n" "$svc" "$password"
    fi
    printf 'ALTER ROLE clipset_%s SET search_path = %s;\n' "$svc" "$svc"
}

# True when role clipset_$1 logs in with its stored password.
db_role_can_login() {
    PGPASSWORD="$(db_password "$1")" PGCONNECT_TIMEOUT=5 "$(pg_bindir)/psql" -X -q -Atc 'SELECT 1' \
        -h 127.0.0.1 -p "$CLIPSET_PG_PORT" -U "clipset_$1" -d postgres >/dev/null 2>&1
}

# Creates database $1 when it does not exist.
provision_create_database() {
    local db=$1
    [[ -n "$(pg_psql postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]] && return 0
    pg_psql postgres -c "CREATE DATABASE $db"
}

# Prints SQL, run inside database $1, for privileges and schemas.
provision_database_sql() {
    local db=$1 svc roles=()
    for svc in "${DB_SERVICES[@]}"; do roles+=("clipset_$svc"); done
    printf 'REVOKE ALL ON DATABASE %s FROM PUBLIC;\n' "$db"
    printf 'GRANT CONNECT ON DATABASE %s TO %s;\n' "$db" "$(IFS=,; printf '%s' "${roles[*]}")"
    printf 'REVOKE ALL ON SCHEMA public FROM PUBLIC;\n'
    for svc in "${DB_SERVICES[@]}"; do
        printf 'CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION clipset_%s;\n' "$svc" "$svc"
        printf 'ALTER SCHEMA %s OWNER TO clipset_%s;\n' "$svc" "$svc"
    done
}

# Provisions database $1 (default $CLIPSET_DB_NAME) and the service roles.
provision_database() {
    local db=${1:-$CLIPSET_DB_NAME} svc sql=""
    say "provisioning database $db"
    for svc in "${DB_SERVICES[@]}"; do sql+="$(provision_role_sql "$svc")"$'\n'; done
    pg_psql postgres <<<"$sql" >/dev/null
    provision_create_database "$db"
    provision_database_sql "$db" | pg_psql "$db" >/dev/null
}
