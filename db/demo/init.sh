#!/bin/sh
# ActorSync demo databases for docker compose. The postgres image runs this once, when it starts with an empty data
# volume (/docker-entrypoint-initdb.d); `docker compose down -v` removes the volume, so the next start runs it again.
# It creates the role ActorSync connects as (password from ACTORSYNC_DB_PASSWORD), the source database "shop" and
# the target database "reporting", both owned by that role, and runs shop.sql and reporting.sql as that role, so the
# role owns the demo tables and may install capture on them. `actorsync demo` runs the same two SQL files.
set -eu

sql_dir="${ACTORSYNC_DEMO_SQL:-/actorsync-demo}"
password="${ACTORSYNC_DB_PASSWORD:?ACTORSYNC_DB_PASSWORD must be set (docker-compose.yml passes it)}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v password="$password" <<'SQL'
CREATE ROLE actorsync LOGIN PASSWORD :'password';
CREATE DATABASE shop OWNER actorsync;
CREATE DATABASE reporting OWNER actorsync;
SQL

for database in shop reporting; do
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "$database" \
    -c 'SET ROLE actorsync' -f "$sql_dir/$database.sql"
done
