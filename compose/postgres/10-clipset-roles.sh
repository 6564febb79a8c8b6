#!/bin/bash
# First start of the postgres container only (/docker-entrypoint-initdb.d): the database
# layout scripts/lib/provision.sh makes for `scripts/clipset up`. For each of auth, media,
# social, notify: a LOGIN role clipset_<svc> (password DB_PASSWORD_<SVC>) whose search_path
# is its own schema <svc>, owned by it. Only these roles may connect to $POSTGRES_DB; nobody
# may use its public schema. The gateway has no database.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v pw_auth="${DB_PASSWORD_AUTH:?}" -v pw_media="${DB_PASSWORD_MEDIA:?}" \
    -v pw_social="${DB_PASSWORD_SOCIAL:?}" -v pw_notify="${DB_PASSWORD_NOTIFY:?}" <<'SQL'
CREATE ROLE clipset_auth LOGIN PASSWORD :'pw_auth';
CREATE ROLE clipset_media LOGIN PASSWORD :'pw_media';
CREATE ROLE clipset_social LOGIN PASSWORD :'pw_social';
CREATE ROLE clipset_notify LOGIN PASSWORD :'pw_notify';
ALTER ROLE clipset_auth SET search_path = auth;
ALTER ROLE clipset_media SET search_path = media;
ALTER ROLE clipset_social SET search_path = social;
ALTER ROLE clipset_notify SET search_path = notify;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO clipset_auth, clipset_media, clipset_social, clipset_notify;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA auth AUTHORIZATION clipset_auth;
CREATE SCHEMA media AUTHORIZATION clipset_media;
CREATE SCHEMA social AUTHORIZATION clipset_social;
CREATE SCHEMA notify AUTHORIZATION clipset_notify;
SQL
